"""Pure-Python tabular engine: readers, previews, concatenation and analyses.

Plain functions over files and plain data; no Flask or Invenio here. Services and
Celery tasks wrap them.
"""

from .analyses import run_analysis
from .concat import concatenate
from .errors import TabularError
from .preview import preview

__all__ = ["TabularError", "concatenate", "preview", "run_analysis"]
