"""CS4OD: projects, tabular previews, reproducibility and Zenodo federation for InvenioRDM."""

from .ext import CS4OD

__version__ = "0.1.0"

__all__ = ("CS4OD", "__version__")
