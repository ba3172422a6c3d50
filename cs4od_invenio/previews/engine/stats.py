"""Per-column statistics accumulated batch by batch in bounded memory."""

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .values import jsonable

FORMULA_START = r"^[=+\-@]"
_NUMBER = r"^\s*[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?%?\s*$"
KEY_CHARS = 256


def type_label(arrow_type):
    """A short, stable name for an Arrow type, as shown to users."""
    if pa.types.is_dictionary(arrow_type):
        return type_label(arrow_type.value_type)
    checks = [
        (pa.types.is_boolean, "boolean"),
        (pa.types.is_integer, "integer"),
        (pa.types.is_floating, "number"),
        (pa.types.is_decimal, "number"),
        (pa.types.is_string, "text"),
        (pa.types.is_large_string, "text"),
        (pa.types.is_date, "date"),
        (pa.types.is_timestamp, "datetime"),
        (pa.types.is_time, "time"),
        (pa.types.is_duration, "duration"),
        (pa.types.is_null, "empty"),
        (pa.types.is_struct, "object"),
        (pa.types.is_map, "object"),
        (pa.types.is_list, "array"),
        (pa.types.is_large_list, "array"),
    ]
    for check, label in checks:
        if check(arrow_type):
            return label
    return "binary" if pa.types.is_binary(arrow_type) else str(arrow_type)


def column_stats(arrow_type, *, distinct_cap=10_000, top_values=10):
    """A fresh accumulator for a column of ``arrow_type``."""
    label = type_label(arrow_type)
    if label in ("integer", "number"):
        return NumberStats()
    if label == "text":
        return TextStats(distinct_cap, top_values)
    if label in ("date", "datetime", "time"):
        return RangeStats()
    if label == "boolean":
        return BooleanStats()
    return ColumnStats()


class ColumnStats:
    """Counts of values and nulls; the base of the typed accumulators."""

    def __init__(self):
        self.values = 0
        self.nulls = 0

    def update(self, array):
        """Add one batch's column."""
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        self.nulls += array.null_count
        self.values += len(array) - array.null_count
        if len(array) > array.null_count:
            self._update(array.drop_null() if array.null_count else array)

    def _update(self, valid):
        pass

    def result(self):
        """The statistics as plain data."""
        return {"values": self.values, "nulls": self.nulls}


class NumberStats(ColumnStats):
    """Minimum, maximum, mean and standard deviation (merged per batch, Chan et al.)."""

    def __init__(self):
        super().__init__()
        self.min = self.max = None
        self.n, self.mean, self.m2 = 0, 0.0, 0.0

    def _update(self, valid):
        if pa.types.is_decimal(valid.type):
            valid = pc.cast(valid, pa.float64())
        if pa.types.is_floating(valid.type):
            valid = valid.filter(pc.is_finite(valid))
            if not len(valid):
                return
        bounds = pc.min_max(valid)
        low, high = bounds["min"].as_py(), bounds["max"].as_py()
        self.min = low if self.min is None else min(self.min, low)
        self.max = high if self.max is None else max(self.max, high)
        count = len(valid)
        mean = pc.mean(valid).as_py()
        m2 = pc.variance(valid, ddof=0).as_py() * count
        delta = mean - self.mean
        total = self.n + count
        self.mean += delta * count / total
        self.m2 += m2 + delta * delta * self.n * count / total
        self.n = total

    def result(self):
        """Counts plus min, max, mean and sample standard deviation."""
        data = super().result()
        data.update(
            min=jsonable(self.min),
            max=jsonable(self.max),
            mean=jsonable(self.mean) if self.n else None,
            std=jsonable(math.sqrt(self.m2 / (self.n - 1))) if self.n > 1 else None,
        )
        return data


class RangeStats(ColumnStats):
    """Earliest and latest value of a date, time or timestamp column."""

    def __init__(self):
        super().__init__()
        self.min = self.max = None

    def _update(self, valid):
        bounds = pc.min_max(valid)
        low, high = bounds["min"].as_py(), bounds["max"].as_py()
        self.min = low if self.min is None else min(self.min, low)
        self.max = high if self.max is None else max(self.max, high)

    def result(self):
        """Counts plus the range."""
        data = super().result()
        data.update(min=jsonable(self.min), max=jsonable(self.max))
        return data


class BooleanStats(ColumnStats):
    """How many values are true and false."""

    def __init__(self):
        super().__init__()
        self.true = 0

    def _update(self, valid):
        self.true += int(pc.sum(valid.cast(pa.int64())).as_py() or 0)

    def result(self):
        """Counts of true and false."""
        data = super().result()
        data.update(true=self.true, false=self.values - self.true)
        return data


class TextStats(ColumnStats):
    """Distinct count (exact up to a cap), most frequent values and formula-like cells.

    Up to ``distinct_cap`` distinct values every count is exact. Past it the distinct
    count is reported as "more than the cap", and the most frequent values are kept
    approximately: each later batch only contributes its own most frequent values to a
    bounded table (a heavy-hitters sketch), so memory stays bounded.
    """

    def __init__(self, distinct_cap, top_values):
        super().__init__()
        self.cap = distinct_cap
        self.top = top_values
        self.keep = max(10 * top_values, 1000)
        self.counts = {}
        self.exact = True
        self.formula_like = 0
        self.formula_examples = []

    def _update(self, valid):
        if pc.max(pc.binary_length(valid)).as_py() > KEY_CHARS:
            valid = pc.utf8_slice_codeunits(valid, 0, KEY_CHARS)
        self._count_formulas(valid)
        counted = pc.value_counts(valid)
        values, counts = counted.field("values"), counted.field("counts")
        if len(counted) > self.cap:
            self.exact = False
        if not self.exact:
            pick = min(self.keep, len(counted))
            top = np.argpartition(-counts.to_numpy(), pick - 1)[:pick]
            values, counts = values.take(pa.array(top)), counts.take(pa.array(top))
        for value, count in zip(values.to_pylist(), counts.to_pylist()):
            self.counts[value] = self.counts.get(value, 0) + count
        if self.exact and len(self.counts) > self.cap:
            self.exact = False
        if not self.exact and len(self.counts) > 2 * self.keep:
            kept = sorted(self.counts.items(), key=lambda item: -item[1])[: self.keep]
            self.counts = dict(kept)

    def _count_formulas(self, valid):
        starts = pc.match_substring_regex(valid, FORMULA_START)
        if not pc.any(starts).as_py():
            return
        candidates = valid.filter(starts)
        formulas = candidates.filter(
            pc.and_(
                pc.invert(pc.match_substring_regex(candidates, _NUMBER)),
                pc.greater(pc.utf8_length(candidates), 1),
            )
        )
        self.formula_like += len(formulas)
        room = 3 - len(self.formula_examples)
        if room > 0:
            self.formula_examples += formulas.slice(0, room).to_pylist()

    def result(self):
        """Counts plus distinct, top values and formula-like cells."""
        data = super().result()
        ranked = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        if self.exact:
            data["distinct"] = {"count": len(self.counts), "exact": True}
        else:
            data["distinct"] = {"more_than": self.cap, "exact": False}
        data["top_values"] = [{"value": v, "count": c} for v, c in ranked[: self.top]]
        data["top_values_exact"] = self.exact
        data["formula_like"] = self.formula_like
        if self.formula_examples:
            data["formula_examples"] = self.formula_examples
        return data
