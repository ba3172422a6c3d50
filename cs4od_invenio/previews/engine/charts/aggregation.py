"""Aggregates per x (and group) merged batch by batch within a bound; raw points
sampled."""

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..arrays import from_numpy, to_numpy
from ..values import jsonable
from .frames import _is_number
from .spec import MAX_SERIES

# Groups kept while streaming, before the final cut to MAX_SERIES by row count.
STREAM_SERIES = 10 * MAX_SERIES
# Calendar periods a date axis may be grouped by, finest first; weeks start on Monday.
DATE_UNITS = ("day", "week", "month", "quarter", "year")
# While streaming, dates held per distinct value are coarsened along units that nest,
# so that any unit chosen at the end is still computed exactly.
STORED_UNITS = (None, "day", "month", "year")


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
        self.read_after = False
        self.finishing = False
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
            self.read_after = True
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
            # it would not fit anyway (7 days make a week, 3 months a quarter). At the
            # end, the dates held are grouped exactly by the period chosen.
            cap = max(10 * limit, self.key_cap // self._series(table))
            while (
                not self.finishing
                and self.stored != "year"
                and pc.count_distinct(table["x"]).as_py() > cap
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
        what = "day" if self.date_x else "distinct time"
        if self.exceeded is not None:
            # Counted when first held per day or month; rows read since may add more.
            more = "at least " if self.read_after else ""
            before = more + _plural(self.exceeded, what)
        else:
            before = _plural(held, what)
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
        self.finishing = True
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


def _top_series(rows):
    counts = {}
    for row in rows:
        counts[row["group"]] = counts.get(row["group"], 0) + 1
    if len(counts) <= MAX_SERIES:
        return rows, None
    ranked = sorted(counts, key=lambda g: (-counts[g], str(g)))[:MAX_SERIES]
    kept = set(ranked)
    return [r for r in rows if r["group"] in kept], len(counts)


def _plural(count, unit):
    return f"{count:,} {unit}" + ("" if count == 1 else "s")
