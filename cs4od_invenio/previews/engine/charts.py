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
"""

import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .analyses import FUNCTIONS, _filtered
from .arrays import from_numpy, to_numpy
from .errors import TabularError
from .readers import open_table, read_table_stream
from .values import jsonable

TYPES = ("line", "bar", "scatter", "histogram")
OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in", "startswith")
FIELDS = ("type", "x", "y", "group", "aggregation", "filters", "bins", "title")
FIELDS += ("unpivot",)
DEFAULT_BINS = 20
MAX_BINS = 200
MAX_SERIES = 20
MAX_TITLE = 200
# Groups kept while streaming, before the final cut to MAX_SERIES by row count.
STREAM_SERIES = 10 * MAX_SERIES
VEGA_LITE = "5.21"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
WIDTH, HEIGHT = 640, 360
# Calendar periods a date axis may be grouped by, finest first; weeks start on Monday.
DATE_UNITS = ("day", "week", "month", "quarter", "year")
# What pandas calls them as periods (a "W-SUN" period runs Monday to Sunday).
PANDAS_PERIODS = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
# While streaming, dates held per distinct value are coarsened along units that nest,
# so that any unit chosen at the end is still computed exactly.
STORED_UNITS = (None, "day", "month", "year")


def _error(message, column=None):
    return TabularError(message, code="chart", column=column)


# The spec ---------------------------------------------------------------------------


def check_spec(spec, columns):
    """The chart spec checked against the table's column names, defaults filled in.

    ``spec`` is ``{"type": "line"|"bar"|"scatter"|"histogram", "x", "y", "group",
    "aggregation": "sum"|"mean"|"count"|"min"|"max"|None, "filters": [{"column",
    "op", "value"}], "bins": int, "title": str}``, and optionally ``"unpivot":
    {"columns": [...], "key": name, "value": name}`` to turn columns such as years
    into rows first (filters and x, y, group then use the new names).
    """
    if not isinstance(spec, dict):
        raise _error("A chart spec is an object with a type, x and other fields.")
    unknown = [key for key in spec if key not in FIELDS]
    if unknown:
        raise _error(
            f"Unknown field {unknown[0]!r} in the chart spec; the fields are "
            f"{', '.join(FIELDS)}."
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
                f"{_names(columns)}."
            )
        if y is None and kind == "scatter" and aggregation is None:
            raise _error(
                f"A scatter plot needs a y column; the columns are {_names(columns)}."
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


def _names(columns):
    shown = ", ".join(repr(c) for c in columns[:50])
    return shown + (f" and {len(columns) - 50} more" if len(columns) > 50 else "")


def _checked_column(spec, field, columns, required=False):
    name = spec.get(field)
    if name is None and not required:
        return None
    if name is None:
        raise _error(
            f"The chart needs an {field} column; the columns are " f"{_names(columns)}."
        )
    if not isinstance(name, str) or name not in columns:
        raise _error(
            f"{field} is {name!r}, which is no column of this table; the columns are "
            f"{_names(columns)}.",
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
                f"columns are {_names(columns)}.",
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
            f"columns are {_names(columns)}.",
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


# Reading ----------------------------------------------------------------------------


def _is_number(kind):
    return (
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or (pa.types.is_decimal(kind))
    )


def _unpivot(table, unpivot, needed):
    """The table with the chosen columns turned into key/value rows."""
    chosen = unpivot["columns"]
    ids = [c for c in table.column_names if c not in chosen and c in needed]
    rows, count = table.num_rows, len(chosen)
    values = [table[c].combine_chunks() for c in chosen]
    if all(_is_number(v.type) for v in values):
        integer = all(pa.types.is_integer(v.type) for v in values)
        common = pa.int64() if integer else pa.float64()
    else:
        common = pa.string()
    columns = {
        c: table[c].take(from_numpy(np.tile(np.arange(rows), count))) for c in ids
    }
    labels = pa.array(chosen, pa.string())
    key_type = _label_type(chosen)
    if key_type is not None:
        labels = labels.cast(key_type)
    columns[unpivot["key"]] = labels.take(from_numpy(np.repeat(np.arange(count), rows)))
    columns[unpivot["value"]] = pa.concat_arrays([v.cast(common) for v in values])
    return pa.table(columns)


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


def _frame(batch, spec, mode):
    """One batch as a filtered table of x, y and group, without undrawable rows."""
    table = pa.Table.from_batches([batch])
    if spec["unpivot"]:
        needed = {spec["x"], spec["y"], spec["group"]}
        needed |= {f["column"] for f in spec["filters"]}
        table = _unpivot(table, spec["unpivot"], needed)
    for item in spec["filters"]:
        try:
            table = _filtered(table, [item])
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
            kind = table[item["column"]].type
            raise _error(
                f"The filter on {item['column']!r} compares its {kind} values with "
                f"{item['value']!r}, which do not compare.",
                item["column"],
            ) from None
    columns = {"x": table[spec["x"]]}
    if spec["y"] is not None:
        columns["y"] = table[spec["y"]]
    if spec["group"] is not None:
        columns["group"] = table[spec["group"]]
    frame = pa.table(columns)
    _check_types(frame, spec, mode)
    if "y" in columns and pa.types.is_floating(frame["y"].type):
        # pandas skips NaN as missing; Arrow would carry it into sums.
        y = frame["y"]
        frame = frame.set_column(1, "y", pc.if_else(pc.is_nan(y), None, y))
    # Rows without x or group are left out, as pandas' groupby does; raw points
    # also need a y. An x that is NaN or infinite has no place on an axis.
    required = [c for c in frame.column_names if c != "y" or mode == "raw"]
    mask = pc.is_valid(frame["x"])
    if pa.types.is_floating(frame["x"].type):
        mask = pc.and_(mask, pc.is_finite(frame["x"]))
    for name in required[1:]:
        mask = pc.and_(mask, pc.is_valid(frame[name]))
    kept = frame.filter(mask)
    return kept, frame.num_rows - kept.num_rows


def _check_types(frame, spec, mode):
    x_type = frame["x"].type
    if mode == "histogram" and not _is_number(x_type):
        raise _error(
            f"A histogram needs numbers in x; column {spec['x']!r} holds {x_type}.",
            spec["x"],
        )
    if "y" in frame.column_names and spec["aggregation"] != "count":
        y_type = frame["y"].type
        if not _is_number(y_type):
            raise _error(
                f"The y axis needs numbers; column {spec['y']!r} holds {y_type}.",
                spec["y"],
            )


# Aggregates -------------------------------------------------------------------------


class _Aggregates:
    """Partial aggregates per (x, group) key, merged batch by batch within a bound."""

    MERGE = {"rows": "sum", "n": "sum", "sum": "sum", "min": "min", "max": "max"}

    def __init__(self, spec, max_points):
        self.spec = spec
        self.keys = ["x"] + (["group"] if spec["group"] else [])
        self.max_points = max_points
        self.key_cap = max(10 * max_points, 10_000)
        self.table = None
        self.pending = []
        self.pending_rows = 0
        self.width = None
        self.numeric_x = None
        self.integer_x = None
        self.temporal_x = None
        self.date_x = None
        self.stored = None
        self.exceeded = None
        self.allowed_x = None
        self.allowed_groups = None
        self.left_out = 0

    def _wanted(self):
        wanted = [([], "count_all")]
        if self.spec["y"] is not None:
            function = self.spec["aggregation"]
            needs = {"mean": ("sum", "count"), "count": ("count",)}.get(
                function, (function,)
            )
            wanted += [("y", f) for f in needs]
        return wanted

    def add(self, frame):
        """Merge the aggregates of one frame in."""
        if self.numeric_x is None:
            self.numeric_x = _is_number(frame["x"].type)
            self.integer_x = pa.types.is_integer(frame["x"].type)
            self.date_x = pa.types.is_date(frame["x"].type)
            self.temporal_x = self.date_x or pa.types.is_timestamp(frame["x"].type)
        frame = self._restricted(frame)
        if not frame.num_rows:
            return
        if self.width is not None:
            frame = frame.set_column(0, "x", self._binned(frame["x"]))
        if self.stored is not None:
            frame = frame.set_column(0, "x", _floored(frame["x"], self.stored))
        partial = frame.group_by(self.keys, use_threads=False).aggregate(self._wanted())
        names = {"count_all": "rows", "y_count": "n", "y_sum": "sum"}
        names |= {"y_min": "min", "y_max": "max"}
        partial = partial.rename_columns(
            [names.get(c, c) for c in partial.column_names]
        )
        self.pending.append(partial)
        self.pending_rows += partial.num_rows
        if self.pending_rows > self.key_cap or len(self.pending) > 64:
            self._merge()
            self._bound()

    def _restricted(self, frame):
        before = frame.num_rows
        if self.allowed_groups is not None:
            frame = frame.filter(
                pc.is_in(frame["group"], value_set=self.allowed_groups)
            )
        if self.allowed_x is not None:
            frame = frame.filter(pc.is_in(frame["x"], value_set=self.allowed_x))
        self.left_out += before - frame.num_rows
        return frame

    def _merge(self):
        parts = ([self.table] if self.table is not None else []) + self.pending
        self.pending, self.pending_rows = [], 0
        if not parts:
            return
        table = pa.concat_tables(parts, promote_options="permissive")
        self.table = _regrouped(table, self.keys)

    def _bound(self):
        """Shrink the merged aggregates to the caps: groups, then x."""
        table = self.table
        if self.spec["group"]:
            groups = _ranked(table, "group")
            if len(groups) > STREAM_SERIES:
                self.allowed_groups = groups["group"].slice(0, STREAM_SERIES)
                table = self._kept(table, "group", self.allowed_groups)
        limit = self._x_limit(table)
        if self.numeric_x:
            while pc.count_distinct(table["x"]).as_py() > limit:
                table = self._coarser(table, limit)
        elif self.temporal_x:
            # Held per date (then day, month, year) up to ten times what is drawn, so
            # the period chosen at the end can be finer than what is held only when
            # it would not fit anyway (7 days make a week, 3 months a quarter).
            cap = max(10 * limit, self.key_cap // self._series(table))
            while (
                self.stored != "year" and pc.count_distinct(table["x"]).as_py() > cap
            ):
                table = self._coarser_dates(table)
        elif table.num_rows > self.key_cap:
            per_group = max(1, self.key_cap // self._series(table))
            self.allowed_x = _ranked(table, "x")["x"].slice(0, per_group)
            table = self._kept(table, "x", self.allowed_x)
        self.table = table

    def _kept(self, table, key, values):
        kept = table.filter(pc.is_in(table[key], value_set=values))
        self.left_out += pc.sum(table["rows"]).as_py() - pc.sum(kept["rows"]).as_py()
        return kept

    def _series(self, table):
        if not self.spec["group"]:
            return 1
        return max(1, min(pc.count_distinct(table["group"]).as_py(), MAX_SERIES))

    def _x_limit(self, table):
        # Two at least: keys -1 and 0 never merge by halving.
        return max(2, self.max_points // self._series(table))

    def _coarser(self, table, limit):
        """The aggregates over intervals of x twice as wide (or a first width)."""
        if self.width is None:
            low = pc.min(table["x"]).as_py()
            high = pc.max(table["x"]).as_py()
            self.width = _nice_width(high - low, limit, self.integer_x)
            x = self._binned(table["x"])
        else:
            self.width *= 2
            x = from_numpy(np.floor_divide(to_numpy(table["x"]), 2))
        return _regrouped(table.set_column(0, "x", x), self.keys)

    def _coarser_dates(self, table):
        """The aggregates over the next coarser stored calendar unit."""
        if self.stored is None:
            self.exceeded = pc.count_distinct(table["x"]).as_py()
        step = STORED_UNITS.index(self.stored) + 1
        if self.stored is None and self.date_x:
            step += 1  # dates already are days
        self.stored = STORED_UNITS[step]
        x = _floored(table["x"], self.stored)
        return _regrouped(table.set_column(0, "x", x), self.keys)

    def _by_period(self, table, limit, reduced):
        """The final aggregates over the finest calendar unit with at most ``limit``."""
        held = pc.count_distinct(table["x"]).as_py()
        if self.stored is None and held <= limit:
            return table
        start = DATE_UNITS.index(self.stored) if self.stored else 0
        for unit in DATE_UNITS[start:]:
            x = _floored(table["x"], unit)
            periods = pc.count_distinct(x).as_py()
            if periods <= limit or unit == "year":
                break
        what = "date" if self.date_x else "time"
        if self.exceeded is not None:
            before = f"at least {self.exceeded:,} distinct {what}s"
        elif self.date_x:
            before = _plural(held, "day")
        else:
            before = f"{held:,} distinct {what}s"
        reduced["dates"] = {"unit": unit, "periods": periods, "before": before}
        return _regrouped(table.set_column(0, "x", x), self.keys)

    def _binned(self, column):
        values = to_numpy(column.cast(pa.float64()).combine_chunks())
        return from_numpy(np.floor(values / self.width).astype(np.int64))

    def result(self):
        """Final rows (x, group, y) sorted by x then group, and what was reduced."""
        self._merge()
        if self.table is None:
            return [], {}
        self._bound()
        table, reduced = self.table, {}
        if self.spec["group"]:
            groups = _ranked(table, "group")
            if len(groups) > MAX_SERIES:
                reduced["series"] = len(groups)
                kept = groups["group"].slice(0, MAX_SERIES)
                table = table.filter(pc.is_in(table["group"], value_set=kept))
        limit = self._x_limit(table)
        if self.temporal_x:
            table = self._by_period(table, limit, reduced)
        elif not self.numeric_x:
            ranked = _ranked(table, "x")
            if len(ranked) > limit:
                reduced["x"] = (len(ranked), limit)
                kept = ranked["x"].slice(0, limit)
                table = table.filter(pc.is_in(table["x"], value_set=kept))
        table = table.sort_by([(k, "ascending") for k in self.keys])
        y = self._values(table)
        x = table["x"].to_pylist()
        if self.width is not None:
            x = [_round(k * self.width) for k in x]
            reduced["width"] = self.width
        groups = table["group"].to_pylist() if self.spec["group"] else None
        rows = []
        for index, value in enumerate(x):
            row = {"x": jsonable(value), "y": jsonable(y[index])}
            if groups is not None:
                row["group"] = jsonable(groups[index])
            rows.append(row)
        return rows, reduced

    def _values(self, table):
        function = self.spec["aggregation"]
        if self.spec["y"] is None:
            return table["rows"].to_pylist()
        if function == "count":
            return table["n"].to_pylist()
        if function == "mean":
            total = table["sum"].cast(pa.float64())
            return pc.divide(total, table["n"].cast(pa.float64())).to_pylist()
        return table[function].to_pylist()


def _regrouped(table, keys):
    parts = [c for c in table.column_names if c not in keys]
    merged = table.group_by(keys, use_threads=False).aggregate(
        [(c, _Aggregates.MERGE[c]) for c in parts]
    )
    return merged.rename_columns(
        [c.rsplit("_", 1)[0] if c not in keys else c for c in merged.column_names]
    )


def _floored(column, unit):
    """Dates or times as the first day of their calendar ``unit`` (weeks from Monday).

    Times with a time zone are taken in UTC, as pandas does with ``utc=True``.
    """
    if pa.types.is_timestamp(column.type) and column.type.tz is not None:
        column = column.cast(pa.timestamp(column.type.unit))
    floored = pc.floor_temporal(column, unit=unit, week_starts_monday=True)
    return floored.cast(pa.date32())


def _ranked(table, key):
    """The values of a key by row count, most first, ties by value."""
    counts = table.group_by([key], use_threads=False).aggregate([("rows", "sum")])
    return counts.sort_by([("rows_sum", "descending"), (key, "ascending")])


def _nice_width(span, limit, integer):
    """A round interval width that puts a span into about half ``limit`` intervals."""
    raw = span / max(1, limit // 2) if span > 0 else 1.0
    scale = 10 ** math.floor(math.log10(raw))
    width = next(m * scale for m in (1, 2, 5, 10) if m * scale >= raw)
    if integer:
        width = float(max(1, math.ceil(width)))
    return float(width)


def _round(value):
    return float(f"{value:.12g}")


# Raw points -------------------------------------------------------------------------


class _Sample:
    """A uniform random sample of at most ``size`` rows of a stream (bottom-k keys)."""

    def __init__(self, size, seed=0):
        self.size = size
        self.random = np.random.default_rng(seed)
        self.table = None
        self.seen = 0

    def add(self, frame):
        """Offer the rows of one frame to the sample."""
        self.seen += frame.num_rows
        keys = from_numpy(self.random.random(frame.num_rows))
        frame = frame.append_column("key", keys)
        table = (
            frame
            if self.table is None
            else pa.concat_tables([self.table, frame], promote_options="permissive")
        )
        if table.num_rows > self.size:
            keys = to_numpy(table["key"].combine_chunks())
            kept = np.sort(np.argpartition(keys, self.size - 1)[: self.size])
            table = table.take(from_numpy(kept))
        self.table = table


def _raw_rows(sample, spec):
    if sample.table is None:
        return []
    table = sample.table.drop_columns(["key"])
    if spec["type"] == "line":
        order = [("x", "ascending")] + (
            [("group", "ascending")] if spec["group"] else []
        )
        table = table.sort_by(order)
    return [{k: jsonable(v) for k, v in row.items()} for row in table.to_pylist()]


# Histogram --------------------------------------------------------------------------


def _histogram(path, spec, fmt, name):
    """Counts in ``bins`` equal intervals of x from min to max (two streamed passes)."""
    notes = {}

    def measure(stream):
        low, high, seen, dropped = math.inf, -math.inf, 0, 0
        counts = None
        for batch in stream.batches:
            frame, without = _frame(batch, spec, "histogram")
            dropped += without
            values = _finite(frame["x"])
            seen += len(values)
            if len(values):
                low, high = min(low, values.min()), max(high, values.max())
            if spec["group"] and frame.num_rows:
                part = frame.group_by(["group"], use_threads=False).aggregate(
                    [([], "count_all")]
                )
                part = part.rename_columns(["group", "rows"])
                counts = (
                    part
                    if counts is None
                    else _regrouped(pa.concat_tables([counts, part]), ["group"])
                )
        return stream, (low, high, seen, dropped, counts)

    stream, (low, high, seen, dropped, counts) = read_table_stream(
        path, measure, fmt=fmt, name=name
    )
    if dropped:
        notes["dropped"] = dropped
    groups = None
    if counts is not None:
        ranked = _ranked(counts, "group")
        groups = ranked["group"].slice(0, MAX_SERIES)
        if len(ranked) > MAX_SERIES:
            notes["series"] = len(ranked)
    if not seen:
        return stream, [], None, notes
    if low == high:
        low, high = low - 0.5, high + 0.5
    edges = np.linspace(low, high, spec["bins"] + 1)
    series = len(groups) if groups is not None else 1

    def count(stream):
        totals = np.zeros(series * spec["bins"], dtype=np.int64)
        for batch in stream.batches:
            frame, _ = _frame(batch, spec, "histogram")
            if groups is not None:
                frame = frame.append_column(
                    "code", pc.index_in(frame["group"], value_set=groups)
                )
                frame = frame.filter(pc.is_valid(frame["code"]))
            values = to_numpy(frame["x"].cast(pa.float64()))
            finite = np.isfinite(values)
            index = np.searchsorted(edges, values[finite], side="right") - 1
            index = np.minimum(index, spec["bins"] - 1)
            if groups is not None:
                codes = to_numpy(frame["code"].cast(pa.int64()))[finite]
                index = codes * spec["bins"] + index
            totals += np.bincount(index, minlength=len(totals))
        return totals

    totals = read_table_stream(path, count, fmt=fmt, name=name, hints=stream.hints)
    rows = []
    labels = groups.to_pylist() if groups is not None else [None]
    for code, label in enumerate(labels):
        for index in range(spec["bins"]):
            row = {
                "bin_start": _round(float(edges[index])),
                "bin_end": _round(float(edges[index + 1])),
                "count": int(totals[code * spec["bins"] + index]),
            }
            if groups is not None:
                row["group"] = jsonable(label)
            rows.append(row)
    return stream, rows, (float(low), float(high)), notes


def _finite(column):
    values = to_numpy(column.cast(pa.float64()))
    return values[np.isfinite(values)]


# Building a chart -------------------------------------------------------------------


def build_chart(path, spec, max_points=5000, *, name=None, fmt=None):
    """A chart of a table file: ``{"vega_lite", "data", "notes", "code", "spec"}``.

    ``data`` holds the rows drawn (``x``, ``y``, ``group``; a histogram's rows are
    ``bin_start``, ``bin_end``, ``count``, ``group``), at most about ``max_points``
    of them; ``notes`` says when the data was reduced; ``code`` is a pandas +
    matplotlib script that draws the same chart from the file.
    """
    if not isinstance(max_points, int) or max_points < 1:
        raise ValueError("max_points is a positive whole number")
    head = open_table(path, name=name, fmt=fmt)
    head.batches.close()
    spec = check_spec(spec, head.column_names)
    name = name or Path(path).name
    notes, reduced = [], {}
    if spec["type"] == "histogram":
        stream, rows, limits, reduced = _histogram(path, spec, fmt, name)
        reduced["limits"] = limits
    else:
        mode = "raw" if spec["aggregation"] is None else "aggregate"

        def consume(stream):
            holder = (
                _Sample(max_points) if mode == "raw" else _Aggregates(spec, max_points)
            )
            dropped, x_type = 0, None
            for batch in stream.batches:
                frame, without = _frame(batch, spec, mode)
                dropped += without
                x_type = x_type or frame["x"].type
                holder.add(frame)
            return stream, holder, dropped, x_type

        stream, holder, dropped, x_type = read_table_stream(
            path, consume, fmt=fmt, name=name
        )
        if dropped:
            reduced["dropped"] = dropped
        if mode == "raw":
            rows = _raw_rows(holder, spec)
            if holder.seen > max_points:
                reduced["sample"] = (max_points, holder.seen)
            if spec["group"]:
                rows, series = _top_series(rows)
                if series:
                    reduced["series"] = series
        else:
            rows, more = holder.result()
            reduced |= more
            if holder.left_out:
                reduced["left_out"] = holder.left_out
    notes = _notes(spec, reduced, max_points) + list(stream.warnings)
    if spec["type"] == "histogram" or reduced.get("width"):
        x_type = "quantitative"
    else:
        x_type = _encoding_type(x_type)
    return {
        "vega_lite": vega_lite(
            spec, rows, x_type, reduced.get("width"), reduced.get("dates", {}).get("unit")
        ),
        "data": rows,
        "notes": notes,
        "code": chart_code(name, spec, stream, reduced),
        "spec": spec,
    }


def _top_series(rows):
    counts = {}
    for row in rows:
        counts[row["group"]] = counts.get(row["group"], 0) + 1
    if len(counts) <= MAX_SERIES:
        return rows, None
    ranked = sorted(counts, key=lambda g: (-counts[g], str(g)))[:MAX_SERIES]
    kept = set(ranked)
    return [r for r in rows if r["group"] in kept], len(counts)


def _encoding_type(arrow_type):
    if arrow_type is not None and _is_number(arrow_type):
        return "quantitative"
    if arrow_type is not None and pa.types.is_temporal(arrow_type):
        return "temporal"
    return "nominal"


def _notes(spec, reduced, max_points):
    notes = []
    if "dropped" in reduced:
        needed = ["x"] + (["y"] if spec["aggregation"] is None else [])
        needed = " or ".join(needed + (["group"] if spec["group"] else []))
        notes.append(
            f"{reduced['dropped']:,} rows without a value for {needed} were left out."
        )
    if "sample" in reduced:
        shown, seen = reduced["sample"]
        notes.append(f"A random sample of {shown:,} of the {seen:,} rows is shown.")
    if "width" in reduced:
        notes.append(
            f"x had more values than fit ({max_points:,} points at most): values are "
            f"grouped into intervals of {_round(reduced['width']):g}, each point at "
            "the start of its interval."
        )
    if "dates" in reduced:
        notes.append(_dates_note(reduced["dates"]))
    if "x" in reduced:
        total, kept = reduced["x"]
        notes.append(
            f"x has {'more than ' if 'left_out' in reduced else ''}{total:,} values; "
            f"the {kept:,} with the most rows are shown."
        )
    if "series" in reduced:
        notes.append(
            f"{spec['group']!r} has {reduced['series']:,} values; the {MAX_SERIES} "
            "with the most rows are shown."
        )
    if "left_out" in reduced:
        notes.append(
            f"{reduced['left_out']:,} rows whose x or group value came after the "
            "limit on distinct values were left out."
        )
    return notes


def _plural(count, unit):
    return f"{count:,} {unit}" + ("" if count == 1 else "s")


def _dates_note(dates):
    return (
        f"Dates grouped by {dates['unit']}: {dates['before']} → "
        f"{_plural(dates['periods'], dates['unit'])}, each point at the start of its "
        f"{dates['unit']}."
    )


# Vega-Lite --------------------------------------------------------------------------


def vega_lite(spec, rows, x_type, width=None, period=None):
    """A Vega-Lite v5 spec drawing ``rows``, x encoded as ``x_type``, data inline.

    ``width`` is the interval of a numeric x grouped into intervals, ``period`` the
    calendar unit of a date x grouped into periods (both only name the axis).

    Data go under fixed field names (``x``, ``y``, ``group``) because Vega-Lite reads
    dots and brackets in field names as paths; the column names are only titles.
    """
    kind, group = spec["type"], spec["group"]
    if kind == "histogram":
        mark = {"type": "bar", "tooltip": True}
        encoding = {
            "x": {
                "field": "bin_start",
                "type": "quantitative",
                "bin": {"binned": True},
                "title": spec["x"],
            },
            "x2": {"field": "bin_end"},
            "y": {"field": "count", "type": "quantitative", "title": "count"},
        }
    else:
        if kind == "bar":
            x_type = "nominal" if x_type == "nominal" else "ordinal"
        elif kind == "line" and x_type == "nominal":
            x_type = "ordinal"
        x_title = spec["x"] + (f" (intervals of {width:g})" if width else "")
        x_title += f" (per {period})" if period else ""
        encoding = {
            "x": {"field": "x", "type": x_type, "title": x_title},
            "y": {"field": "y", "type": "quantitative", "title": _y_title(spec)},
        }
        if x_type in ("nominal", "ordinal"):
            encoding["x"]["sort"] = None
        mark = {
            "line": {"type": "line", "point": True, "tooltip": True},
            "bar": {"type": "bar", "tooltip": True},
            "scatter": {"type": "point", "tooltip": True},
        }[kind]
        if kind == "bar" and group:
            encoding["xOffset"] = {"field": "group", "type": "nominal"}
    if group:
        encoding["color"] = {"field": "group", "type": "nominal", "title": group}
    return {
        "$schema": SCHEMA,
        "title": spec["title"],
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": rows},
        "mark": mark,
        "encoding": encoding,
    }


def _y_title(spec):
    if spec["y"] is None:
        return "number of rows"
    if spec["aggregation"]:
        return f"{spec['aggregation']} of {spec['y']}"
    return spec["y"]


def render(vega_lite, format="svg", scale=1.0):
    """A Vega-Lite spec drawn on the server as SVG or PNG bytes (no browser)."""
    import vl_convert

    options = {"vl_version": VEGA_LITE, "allowed_base_urls": []}
    try:
        if format == "svg":
            return vl_convert.vegalite_to_svg(vega_lite, **options).encode("utf-8")
        if format == "png":
            return vl_convert.vegalite_to_png(vega_lite, scale=scale, **options)
    except ValueError as exc:
        reason = str(exc).splitlines()[1:2] or [str(exc)]
        raise _error(f"The chart could not be drawn: {reason[0].strip()}") from None
    raise _error(f"Charts are drawn as svg or png, not {format!r}.")


# The script -------------------------------------------------------------------------


def chart_code(name, spec, stream, reduced):
    """A pandas + matplotlib script that draws the chart from the file to a PNG.

    Everything that comes from the spec or the data is written as a Python literal
    (``repr``), never as code or comments.
    """
    lines = [
        '"""Draws a CS4OD chart with pandas and matplotlib.',
        "",
        "Usage: python chart.py [DATA_FILE] [OUTPUT_PNG] [DATA_JSON]",
        "Writes the chart to OUTPUT_PNG and, if given, its data to DATA_JSON.",
        '"""',
        "",
        "import sys",
        "",
        "import matplotlib",
        "",
        'matplotlib.use("Agg")',
        "import matplotlib.pyplot as plt  # noqa: E402",
        "import numpy as np  # noqa: E402",
        "import pandas as pd  # noqa: E402",
        "",
        "# Parameters",
        f"path = sys.argv[1] if len(sys.argv) > 1 else {name!r}",
        "output = sys.argv[2] if len(sys.argv) > 2 else 'chart.png'",
        "data_json = sys.argv[3] if len(sys.argv) > 3 else None",
        f"TITLE = {spec['title']!r}",
        f"X, Y, GROUP = {spec['x']!r}, {spec['y']!r}, {spec['group']!r}",
        "",
    ]
    lines += _read_code(stream)
    unpivot = spec["unpivot"]
    if unpivot:
        cols, key, value = unpivot["columns"], unpivot["key"], unpivot["value"]
        lines += [
            f"melted = {cols!r}",
            "ids = [c for c in df.columns if c not in melted]",
            f"df = df.melt(id_vars=ids, value_vars=melted, var_name={key!r}, "
            f"value_name={value!r})",
        ]
        if _label_type(cols) is not None:
            lines.append(f"df[{key!r}] = pd.to_numeric(df[{key!r}])")
    for item in spec["filters"]:
        column, op, value = item["column"], item["op"], item["value"]
        if op == "in":
            lines.append(f"df = df[df[{column!r}].isin({value!r})]")
        elif op == "startswith":
            lines.append(
                f"df = df[df[{column!r}].notna() & "
                f"df[{column!r}].astype(str).str.startswith({value!r})]"
            )
        else:
            lines.append(
                f"df = df[df[{column!r}].notna() & (df[{column!r}] {op} {value!r})]"
            )
    lines += [
        "",
        "frame = pd.DataFrame({'x': df[X]})",
        "if Y is not None:",
        "    frame['y'] = df[Y]",
        "if GROUP is not None:",
        "    frame['group'] = df[GROUP]",
        "keys = ['x'] + (['group'] if GROUP is not None else [])",
        "if pd.api.types.is_float_dtype(frame['x']):",
        "    frame = frame[np.isfinite(frame['x'])]",
    ]
    if spec["type"] == "histogram":
        lines += _histogram_code(spec)
    elif spec["aggregation"] is None:
        lines += ["data = frame.dropna()"]
        if spec["type"] == "line":
            lines.append("data = data.sort_values(keys, kind='stable')")
    else:
        lines += _aggregate_code(spec, reduced)
    lines += _plot_code(spec, dates=bool(reduced.get("dates")))
    lines += [
        "if data_json:",
        "    with open(data_json, 'w', encoding='utf-8') as handle:",
        "        handle.write(data.to_json(orient='records'))",
        "",
    ]
    return "\n".join(lines)


def _read_code(stream):
    fmt, details, names = stream.format, stream.details, stream.column_names
    if fmt == "eurostat":
        dims, time = details["dimensions"], details["time_dimension"]
        return [
            "wide = pd.read_csv(path, sep='\\t', dtype=str, keep_default_na=False)",
            "packed = wide.columns[0]",
            f"wide[{dims!r}] = wide[packed].str.split(',', expand=True)",
            f"df = wide.drop(columns=[packed]).melt(id_vars={dims!r}, "
            f"var_name={time!r}, value_name='cell')",
            f"df[{time!r}] = df[{time!r}].str.strip()",
            "parts = df.pop('cell').str.strip().str.extract("
            "r'^([-+0-9.eE]*)\\s*:?\\s*([a-z]*)$')",
            "df['value'] = pd.to_numeric(parts[0], errors='coerce')",
            "df['flags'] = parts[1].where(parts[1] != '')",
        ]
    if fmt == "csv":
        dialect = details["dialect"]
        return [
            f"df = pd.read_csv(path, sep={dialect['delimiter']!r}, "
            f"encoding={dialect['encoding']!r}, "
            f"header={0 if dialect['header'] else None!r}, names={names!r})"
        ]
    if fmt == "xlsx":
        header = 0 if details.get("header") else None
        return [
            f"df = pd.read_excel(path, sheet_name={details.get('sheet')!r}, "
            f"header={header!r}, names={names!r})"
        ]
    if fmt == "parquet":
        return ["df = pd.read_parquet(path)"]
    return ["df = pd.read_json(path, lines=True)"]


def _aggregate_code(spec, reduced):
    lines = ["frame = frame.dropna(subset=keys)"]
    width = reduced.get("width")
    if width:
        lines += [
            "frame = frame[np.isfinite(frame['x'])]",
            f"frame['x'] = np.floor(frame['x'] / {width!r}) * {width!r}",
        ]
    if "series" in reduced:
        lines += [
            "sizes = frame.groupby('group').size().reset_index(name='rows')",
            "sizes = sizes.sort_values(['rows', 'group'], ascending=[False, True])",
            f"frame = frame[frame['group'].isin(sizes['group'].head({MAX_SERIES}))]",
        ]
    dates = reduced.get("dates")
    if dates:
        period = PANDAS_PERIODS[dates["unit"]]
        lines += [
            f"# Dates grouped by {dates['unit']}: each period starts on its first day.",
            "frame['x'] = pd.to_datetime(frame['x'], format='ISO8601', utc=True)",
            "frame['x'] = frame['x'].dt.tz_localize(None)",
            f"frame['x'] = frame['x'].dt.to_period({period!r}).dt.start_time",
        ]
    if "x" in reduced:
        _, kept = reduced["x"]
        lines += [
            "sizes = frame.groupby('x').size().reset_index(name='rows')",
            "sizes = sizes.sort_values(['rows', 'x'], ascending=[False, True])",
            f"frame = frame[frame['x'].isin(sizes['x'].head({kept}))]",
        ]
    function = spec["aggregation"]
    if spec["y"] is None:
        lines.append("data = frame.groupby(keys).size().reset_index(name='y')")
    elif function == "sum":
        # A group without values sums to nothing, not to pandas' default 0.
        lines.append("data = frame.groupby(keys)['y'].sum(min_count=1).reset_index()")
    else:
        lines.append(f"data = frame.groupby(keys)['y'].agg({function!r}).reset_index()")
    if width:
        lines.append("data['x'] = data['x'].round(12)")
    if dates:
        lines.append("data['x'] = data['x'].dt.strftime('%Y-%m-%d')")
    return lines


def _histogram_code(spec):
    return [
        "frame = frame.dropna(subset=keys)",
        "frame = frame[np.isfinite(frame['x'].astype(float))]",
        "low, high = float(frame['x'].min()), float(frame['x'].max())",
        "if low == high:",
        "    low, high = low - 0.5, high + 0.5",
        f"edges = np.linspace(low, high, {spec['bins']!r} + 1)",
        "if GROUP is None:",
        "    parts = [(None, frame)]",
        "else:",
        "    sizes = frame.groupby('group').size().reset_index(name='rows')",
        "    sizes = sizes.sort_values(['rows', 'group'], ascending=[False, True])",
        f"    kept = sizes['group'].head({MAX_SERIES})",
        "    parts = [(g, frame[frame['group'] == g]) for g in kept]",
        "records = []",
        "for label, part in parts:",
        "    counts, _ = np.histogram(part['x'].astype(float), bins=edges)",
        "    for start, end, count in zip(edges[:-1], edges[1:], counts):",
        "        record = {'bin_start': start, 'bin_end': end, 'count': int(count)}",
        "        if GROUP is not None:",
        "            record['group'] = label",
        "        records.append(record)",
        "data = pd.DataFrame(records)",
    ]


def _plot_code(spec, dates=False):
    kind = spec["type"]
    lines = [
        "",
        "# Titles and labels are data: drawn as plain text, never as math markup.",
        "plt.rcParams['text.parse_math'] = False",
        "fig, ax = plt.subplots(figsize=(10, 5.6))",
        "series = [(None, data)] if GROUP is None else list(data.groupby('group'))",
    ]
    if kind == "histogram":
        lines += [
            "bottom = np.zeros(len(edges) - 1)",
            "for label, part in series:",
            "    counts = part['count'].to_numpy()",
            "    ax.bar(part['bin_start'], counts, width=np.diff(edges), "
            "bottom=bottom, align='edge', label=None if label is None else str(label))",
            "    bottom = bottom + counts",
            "ax.set_xlabel(X)",
            "ax.set_ylabel('count')",
        ]
    elif kind == "bar":
        lines += [
            "categories = list(dict.fromkeys(data['x']))",
            "position = {value: index for index, value in enumerate(categories)}",
            "step = 0.8 / len(series)",
            "for number, (label, part) in enumerate(series):",
            "    where = np.array([position[v] for v in part['x']]) + number * step",
            "    ax.bar(where - 0.4 + step / 2, part['y'], width=step, "
            "label=None if label is None else str(label))",
            "ax.set_xticks(range(len(categories)), [str(c) for c in categories], "
            "rotation=90 if len(categories) > 12 else 0)",
        ]
    else:
        # Periods are kept as ISO dates in the data; drawn on a time axis.
        x = "pd.to_datetime(part['x'])" if dates else "part['x']"
        draw = (
            f"ax.plot({x}, part['y'], marker='o'"
            if kind == "line"
            else (f"ax.scatter({x}, part['y'], s=12")
        )
        lines += [
            "for label, part in series:",
            f"    {draw}, label=None if label is None else str(label))",
        ]
    if kind != "histogram":
        lines += [
            "ax.set_xlabel(X)",
            f"ax.set_ylabel({_y_title(spec)!r})",
        ]
    lines += [
        "if GROUP is not None:",
        "    ax.legend(title=GROUP)",
        "ax.set_title(TITLE)",
        "fig.tight_layout()",
        "fig.savefig(output, dpi=100)",
        "",
    ]
    return lines
