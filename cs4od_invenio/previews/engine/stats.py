"""Per-column statistics accumulated batch by batch in bounded memory."""

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrays import from_numpy, to_numpy, valid
from .values import jsonable

FORMULA_FIRST = np.zeros(256, dtype=bool)
FORMULA_FIRST[np.frombuffer(b"=+-@", dtype=np.uint8)] = True
SAMPLE_ROWS = 4096
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

    keeps_nulls = False
    keeps_dictionary = False

    def __init__(self):
        self.values = 0
        self.nulls = 0

    def update(self, array):
        """Add one batch's column."""
        if pa.types.is_dictionary(array.type) and not self.keeps_dictionary:
            array = array.cast(array.type.value_type)
        self.nulls += array.null_count
        self.values += len(array) - array.null_count
        if len(array) > array.null_count:
            keep = self.keeps_nulls or not array.null_count
            self._update(array if keep else array.drop_null())

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
    count is reported as "more than the cap" and the most frequent values become
    estimates: later chunks are sampled (``SAMPLE_ROWS`` evenly spread rows, counts
    scaled up) into a table pruned to the ``keep`` largest counts, so time and memory
    stay bounded however many distinct values a column has. Formula-like cells are
    always counted exactly.
    """

    keeps_nulls = True
    keeps_dictionary = True

    def __init__(self, distinct_cap, top_values):
        super().__init__()
        self.cap = distinct_cap
        self.top = top_values
        self.keep = max(10 * top_values, 1000)
        self.keys, self.tally = None, None
        self.pending = []
        self.pending_rows = 0
        self.exact = True
        self.formula_like = 0
        self.formula_examples = []

    def _update(self, array):
        if pa.types.is_dictionary(array.type):
            values, counts = _dictionary_counts(array)
            self._formulas(values, counts)
        elif self.exact:
            values, counts = _value_counts(array)
            # Few distinct values: look for formulas among them, weighted by count.
            self._formulas(values, counts)
        else:
            for chunk in _chunks(array):
                self._formulas(chunk)
            scale = 1.0
            if len(array) > SAMPLE_ROWS:
                picks = np.linspace(0, len(array) - 1, SAMPLE_ROWS).astype(np.int64)
                scale = len(array) / SAMPLE_ROWS
                array = array.take(from_numpy(picks))
            values, counts = _value_counts(array)
            counts = counts * scale
        if len(values) and pc.max(pc.binary_length(values)).as_py() > KEY_CHARS:
            values = pc.utf8_slice_codeunits(values, 0, KEY_CHARS)
        self.pending.append((values, counts.astype(np.float64)))
        self.pending_rows += len(values)
        # Merging has a fixed cost: only merge once the cap or the sketch size may be
        # exceeded; until then the pending parts cannot hold more distinct values.
        held = self.pending_rows + (len(self.keys) if self.keys is not None else 0)
        if held > (self.cap if self.exact else 16 * self.keep):
            self._merge()

    def _merge(self):
        parts = [(self.keys, self.tally)] if self.keys is not None else []
        parts += self.pending
        self.pending, self.pending_rows = [], 0
        if not parts:
            return
        encoded = pc.dictionary_encode(pa.concat_arrays([v for v, _ in parts]))
        sums = np.bincount(
            to_numpy(encoded.indices),
            weights=np.concatenate([c for _, c in parts]),
            minlength=len(encoded.dictionary),
        )
        values = encoded.dictionary
        if len(values) > self.cap:
            self.exact = False
        if not self.exact and len(values) > self.keep:
            top = np.argpartition(-sums, self.keep - 1)[: self.keep]
            values, sums = values.take(from_numpy(top)), sums[top]
        self.keys, self.tally = values, sums

    def _formulas(self, chunk, weights=None):
        """Count cells that start like a formula and are not numbers."""
        offsets, data = _string_buffers(chunk)
        lengths = np.diff(offsets)
        if not len(lengths) or data is None or not len(data):
            return
        # An empty cell's offset may point past the data: clip, then mask by length.
        first = data.take(offsets[:-1], mode="clip")
        mask = FORMULA_FIRST[first] & (lengths > 0) & valid(chunk)
        starts = np.flatnonzero(mask)
        if not len(starts):
            return
        candidates = chunk.take(from_numpy(starts))
        number = to_numpy(pc.match_substring_regex(candidates, _NUMBER))
        longer = to_numpy(pc.utf8_length(candidates)) > 1
        found = starts[~number & longer]
        self.formula_like += int(
            weights[found].sum() if weights is not None else len(found)
        )
        room = 3 - len(self.formula_examples)
        if room > 0 and len(found):
            self.formula_examples += chunk.take(from_numpy(found[:room])).to_pylist()

    def result(self):
        """Counts plus distinct, top values and formula-like cells."""
        data = super().result()
        self._merge()
        ranked = []
        if self.keys is not None:
            pairs = zip(self.keys.to_pylist(), self.tally.tolist())
            ranked = sorted(pairs, key=lambda item: (-item[1], item[0]))
        if self.exact:
            data["distinct"] = {"count": len(ranked), "exact": True}
        else:
            data["distinct"] = {"more_than": self.cap, "exact": False}
        data["top_values"] = [
            {"value": v, "count": int(round(c))} for v, c in ranked[: self.top]
        ]
        data["top_values_exact"] = self.exact
        data["formula_like"] = self.formula_like
        if self.formula_examples:
            data["formula_examples"] = self.formula_examples
        return data


def _chunks(array):
    return array.chunks if isinstance(array, pa.ChunkedArray) else [array]


def _value_counts(array):
    """Distinct non-null values of a string column and their counts (numpy)."""
    counted = pc.value_counts(array)
    values, counts = counted.field("values"), counted.field("counts")
    if values.null_count:
        keep = values.is_valid()
        values, counts = values.filter(keep), counts.filter(keep)
    return values, to_numpy(counts)


def _dictionary_counts(array):
    """Distinct values and their counts of a dictionary-encoded column."""
    values, counts = [], []
    for chunk in _chunks(array):
        indices = chunk.indices.drop_null() if chunk.null_count else chunk.indices
        tally = np.bincount(to_numpy(indices), minlength=len(chunk.dictionary))
        used = np.flatnonzero(tally)
        values.append(chunk.dictionary.take(from_numpy(used)))
        counts.append(tally[used])
    return pa.concat_arrays(values), np.concatenate(counts)


def _string_buffers(chunk):
    """Offsets and bytes of a string array as numpy views (no copy)."""
    wide = pa.types.is_large_string(chunk.type)
    buffers = chunk.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64 if wide else np.int32)
    offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else None
    return offsets, data
