"""Eurostat TSV: a wide table of time periods, turned into one row per cell."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..arrays import from_numpy
from ..errors import ReadAgain, TabularError
from .stream import TableStream, unique_names

EUROSTAT_FLAGS = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}

_EUROSTAT_CELL = (
    r"^(?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)?"
    r"\s*(?P<missing>:)?\s*(?P<flags>[a-z]*)$"
)


def open_eurostat(path, hints):
    """Open a Eurostat TSV as rows of dimensions, time period, value and flags."""
    with open(path, "rb") as handle:
        header_line = handle.readline().decode("utf-8-sig").rstrip("\r\n")
    cells = [c.strip() for c in header_line.split("\t")]
    packed, _, time_name = cells[0].partition("\\")
    dimensions = unique_names(packed.split(","))
    time_name = time_name.strip() or "time"
    labels = cells[1:]
    if not labels:
        raise TabularError("The Eurostat table has no time columns.", code="empty")
    names = [f"c{i}" for i in range(len(cells))]
    value_type = hints.get("types", {}).get("value")
    columns = dimensions + [time_name, "value", "flags"]
    warnings = []

    def batches():
        nonlocal value_type
        options = {
            "read_options": pacsv.ReadOptions(
                column_names=names, skip_rows=1, block_size=1024 * 1024
            ),
            "parse_options": pacsv.ParseOptions(delimiter="\t", quote_char=False),
            "convert_options": pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                null_values=[],
                strings_can_be_null=False,
            ),
        }
        unparsed = 0
        try:
            for wide in pacsv.open_csv(path, **options):
                long, bad, value_type = _eurostat_long(
                    wide, dimensions, time_name, labels, value_type
                )
                unparsed += bad
                yield long
        except pa.ArrowInvalid as exc:
            raise TabularError(
                f"The Eurostat table could not be read: {exc}", code="parse"
            ) from None
        if unparsed:
            warnings.append(
                f"{unparsed} cells were neither a number nor ':' (kept empty)."
            )

    details = {
        "dimensions": dimensions,
        "time_dimension": time_name,
        "time_periods": len(labels),
        "flags": EUROSTAT_FLAGS,
    }
    return TableStream("eurostat", details, columns, batches(), warnings=warnings)


def _eurostat_long(wide, dimensions, time_name, labels, value_type):
    rows, periods = wide.num_rows, len(labels)
    keys = pc.split_pattern(wide.column(0), ",")
    row_of = from_numpy(np.repeat(np.arange(rows), periods))
    arrays = [pc.list_element(keys, i).take(row_of) for i in range(len(dimensions))]
    period_of = from_numpy(np.tile(np.arange(periods), rows))
    arrays.append(pa.array(labels, pa.string()).take(period_of))
    # Columns are period-major; reorder cells to row-major (all periods of a row).
    order = (np.arange(periods)[None, :] * rows + np.arange(rows)[:, None]).ravel()
    cells = pa.concat_arrays(wide.columns[1:]).take(from_numpy(order))
    parts = pc.extract_regex(pc.utf8_trim_whitespace(cells), _EUROSTAT_CELL)
    number = parts.field("number")
    number = pc.if_else(pc.equal(number, ""), None, number)
    unparsed = int(pc.sum(pc.is_null(parts)).as_py() or 0) - int(
        pc.sum(pc.equal(pc.utf8_trim_whitespace(cells), "")).as_py() or 0
    )
    if value_type is None:
        decimal = pc.any(pc.match_substring_regex(number, r"[.eE]")).as_py()
        value_type = pa.float64() if decimal else pa.int64()
    try:
        values = pc.cast(number, value_type)
    except pa.ArrowInvalid:
        raise ReadAgain(types={"value": pa.float64()}) from None
    flags = parts.field("flags")
    flags = pc.if_else(pc.equal(flags, ""), None, flags)
    arrays += [values, flags]
    names = dimensions + [time_name, "value", "flags"]
    return pa.RecordBatch.from_arrays(arrays, names=names), max(unparsed, 0), value_type
