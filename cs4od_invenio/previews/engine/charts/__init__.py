"""Charts of a table (line, bar, scatter, histogram) from a plain spec.

``build_chart`` streams the file through the engine's readers and keeps memory bounded
by the number of points drawn, not by the size of the file: aggregates are merged batch
by batch, a numeric x with too many values is grouped into intervals whose width doubles
as needed, a date x with too many values into calendar periods (the finest of day,
week, month, quarter and year that fits), raw points are a random sample, and a
histogram takes two passes (range, then counts). Every reduction is said in the notes.
The result carries a Vega-Lite spec with its data inline, for display, and a pandas +
matplotlib script that draws the same chart from the file; ``render`` turns the spec
into SVG or PNG without a browser.

Modules: ``spec`` (the spec checked), ``frames`` (a batch read into x, y and group),
``aggregation`` (bounded aggregates, date periods, samples), ``histogram``,
``vegalite`` (the spec drawn), ``script`` (the pandas code), ``build`` (all together).
"""

from .aggregation import DATE_UNITS, STORED_UNITS, STREAM_SERIES
from .build import build_chart
from .script import PANDAS_PERIODS, chart_code
from .spec import (
    DEFAULT_BINS,
    FIELDS,
    MAX_BINS,
    MAX_SERIES,
    MAX_TITLE,
    OPERATORS,
    TYPES,
    check_spec,
)
from .vegalite import HEIGHT, SCHEMA, VEGA_LITE, WIDTH, render, vega_lite

__all__ = [
    "DATE_UNITS",
    "DEFAULT_BINS",
    "FIELDS",
    "HEIGHT",
    "MAX_BINS",
    "MAX_SERIES",
    "MAX_TITLE",
    "OPERATORS",
    "PANDAS_PERIODS",
    "SCHEMA",
    "STORED_UNITS",
    "STREAM_SERIES",
    "TYPES",
    "VEGA_LITE",
    "WIDTH",
    "build_chart",
    "chart_code",
    "check_spec",
    "render",
    "vega_lite",
]
