"""Pure-Python tabular engine: readers, previews, concatenation and analyses.

Plain functions over files and plain data; no Flask or Invenio here. Services and
Celery tasks wrap them.
"""

from .errors import TabularError
from .preview import preview

__all__ = ["TabularError", "preview"]
