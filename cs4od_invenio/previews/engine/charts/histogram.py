"""Histograms: counts in equal intervals of x, in two streamed passes."""

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..arrays import to_numpy
from ..readers import read_table_stream
from ..values import jsonable
from .aggregation import _ranked, _regrouped, _round
from .frames import _frame
from .spec import MAX_SERIES


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
