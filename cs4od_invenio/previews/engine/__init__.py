"""Pure-Python tabular engine: readers, previews, concatenation, analyses, charts.

Plain functions over files and plain data; no Flask or Invenio here. Services and
Celery tasks wrap them.
"""

from .analyses import run_analysis
from .charts import build_chart, render
from .concat import concatenate
from .errors import TabularError
from .preview import preview

__all__ = [
    "TabularError",
    "build_chart",
    "concatenate",
    "preview",
    "render",
    "run_analysis",
]
