"""CS4OD: projects, tabular previews, reproducibility and Zenodo federation for InvenioRDM.

The Flask extension is imported on first use only: the pure cores (tabular engine,
reproducibility, federation mapping) load without the Invenio stack.
"""

__version__ = "0.1.0"

__all__ = ("CS4OD", "__version__")


def __getattr__(name):
    """``cs4od_invenio.CS4OD``, imported when asked for."""
    if name == "CS4OD":
        from .ext import CS4OD

        return CS4OD
    raise AttributeError(name)
