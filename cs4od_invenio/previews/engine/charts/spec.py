"""The chart spec: checked against the table's columns, defaults filled in."""

import math

import pyarrow as pa

from ..analyses import FUNCTIONS
from ..errors import TabularError
from ..specs import check_fields, column_list

TYPES = ("line", "bar", "scatter", "histogram")
OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in", "startswith")
FIELDS = ("type", "x", "y", "group", "aggregation", "filters", "bins", "title")
FIELDS += ("unpivot",)
DEFAULT_BINS = 20
MAX_BINS = 200
MAX_SERIES = 20
MAX_TITLE = 200


def _error(message, column=None):
    return TabularError(message, code="chart", column=column)


def check_spec(spec, columns):
    """The chart spec checked against the table's column names, defaults filled in.

    ``spec`` is ``{"type": "line"|"bar"|"scatter"|"histogram", "x", "y", "group",
    "aggregation": "sum"|"mean"|"count"|"min"|"max"|None, "filters": [{"column",
    "op", "value"}], "bins": int, "title": str}``, and optionally ``"unpivot":
    {"columns": [...], "key": name, "value": name}`` to turn columns such as years
    into rows first (filters and x, y, group then use the new names).
    """
    check_fields(
        spec,
        FIELDS,
        shape="A chart spec is an object with a type, x and other fields.",
        where="the chart spec",
        error=_error,
    )
    kind = spec.get("type")
    if kind not in TYPES:
        raise _error(f"Unknown chart type {kind!r}; use one of {', '.join(TYPES)}.")
    columns = [str(c) for c in columns]
    unpivot = _checked_unpivot(spec.get("unpivot"), columns)
    if unpivot:
        columns = [c for c in columns if c not in unpivot["columns"]]
        columns += [unpivot["key"], unpivot["value"]]
    x = _checked_column(spec, "x", columns, required=True)
    y = _checked_column(spec, "y", columns)
    group = _checked_column(spec, "group", columns)
    if group is not None and group == x:
        raise _error(f"The group column {group!r} is also x; choose another one.")
    aggregation = spec.get("aggregation")
    if aggregation is not None and aggregation not in FUNCTIONS:
        raise _error(
            f"Unknown aggregation {aggregation!r}; use one of {', '.join(FUNCTIONS)} "
            "or none."
        )
    bins = spec.get("bins")
    if kind == "histogram":
        if y is not None:
            raise _error("A histogram counts the values of x; it takes no y.", y)
        if aggregation not in (None, "count"):
            raise _error(
                "A histogram counts values; its aggregation can only be count."
            )
        bins = DEFAULT_BINS if bins is None else bins
        if isinstance(bins, bool) or not isinstance(bins, int):
            raise _error(f"bins is a whole number from 1 to {MAX_BINS}, not {bins!r}.")
        if not 1 <= bins <= MAX_BINS:
            raise _error(f"bins is a whole number from 1 to {MAX_BINS}, not {bins}.")
        aggregation = "count"
    else:
        if bins is not None:
            raise _error("bins is only for histograms.")
        if y is None and aggregation not in (None, "count"):
            raise _error(
                f"The aggregation {aggregation!r} needs a y column; the columns are "
                f"{column_list(columns)}."
            )
        if y is None and kind == "scatter" and aggregation is None:
            raise _error(
                "A scatter plot needs a y column; the columns are "
                f"{column_list(columns)}."
            )
        if y is None:
            aggregation = "count"
    filters = [_checked_filter(item, columns) for item in spec.get("filters") or []]
    title = spec.get("title")
    if title is None:
        title = _default_title(kind, x, y, group, aggregation)
    if not isinstance(title, str) or len(title) > MAX_TITLE:
        raise _error(f"title is a text of at most {MAX_TITLE} characters.")
    return {
        "type": kind,
        "x": x,
        "y": y,
        "group": group,
        "aggregation": aggregation,
        "filters": filters,
        "bins": bins,
        "title": title,
        "unpivot": unpivot,
    }


def _checked_column(spec, field, columns, required=False):
    name = spec.get(field)
    if name is None and not required:
        return None
    if name is None:
        raise _error(
            f"The chart needs an {field} column; the columns are "
            f"{column_list(columns)}."
        )
    if not isinstance(name, str) or name not in columns:
        raise _error(
            f"{field} is {name!r}, which is no column of this table; the columns are "
            f"{column_list(columns)}.",
            name if isinstance(name, str) else None,
        )
    return name


def _checked_unpivot(unpivot, columns):
    if unpivot is None:
        return None
    if not isinstance(unpivot, dict) or set(unpivot) - {"columns", "key", "value"}:
        raise _error('unpivot is {"columns": [...], "key": name, "value": name}.')
    chosen = unpivot.get("columns")
    if not isinstance(chosen, list) or not chosen:
        raise _error("unpivot needs the list of columns to turn into rows.")
    for name in chosen:
        if name not in columns:
            raise _error(
                f"unpivot names {name!r}, which is no column of this table; the "
                f"columns are {column_list(columns)}.",
                name if isinstance(name, str) else None,
            )
    kept = [c for c in columns if c not in chosen]
    key, value = unpivot.get("key"), unpivot.get("value")
    for field, name in (("key", key), ("value", value)):
        if not isinstance(name, str) or not name.strip():
            raise _error(f"unpivot needs a {field} name for the new column.")
        if name in kept:
            raise _error(f"unpivot's {field} {name!r} is already a column.", name)
    if key == value:
        raise _error("unpivot's key and value need different names.")
    return {"columns": list(dict.fromkeys(chosen)), "key": key, "value": value}


def _checked_filter(item, columns):
    if not isinstance(item, dict) or set(item) - {"column", "op", "value"}:
        raise _error('A filter is {"column": name, "op": "==", "value": ...}.')
    column = item.get("column")
    if column not in columns:
        raise _error(
            f"A filter names {column!r}, which is no column of this table; the "
            f"columns are {column_list(columns)}.",
            column if isinstance(column, str) else None,
        )
    op, value = item.get("op"), item.get("value")
    if op not in OPERATORS:
        raise _error(
            f"Unknown filter operator {op!r}; use one of {', '.join(OPERATORS)}."
        )
    values = value if op == "in" else [value]
    if op == "in" and not isinstance(value, list):
        raise _error(f"The filter 'in' on {column!r} needs a list of values.", column)
    for one in values:
        plain = one is None or isinstance(one, (str, bool, int))
        if not (plain or (isinstance(one, float) and math.isfinite(one))):
            raise _error(
                f"The filter on {column!r} has a value {one!r} that is no "
                "text, number or boolean.",
                column,
            )
    if op == "startswith" and not isinstance(value, str):
        raise _error(f"The filter 'startswith' on {column!r} needs a text.", column)
    return {"column": column, "op": op, "value": value}


def _default_title(kind, x, y, group, aggregation):
    if kind == "histogram":
        title = f"Distribution of {x}"
    elif y is None:
        title = f"Number of rows by {x}"
    elif aggregation:
        title = f"{aggregation} of {y} by {x}"
    else:
        title = f"{y} by {x}"
    title += f", per {group}" if group else ""
    return title[:MAX_TITLE]


def _label_type(labels):
    """int64 or float64 when every unpivoted column name is a number, else None."""
    try:
        numbers = [float(label) for label in labels]
    except ValueError:
        return None
    if not all(math.isfinite(n) for n in numbers):
        return None
    if all(label.strip().lstrip("+-").isdigit() for label in labels):
        return pa.int64()
    return pa.float64()
