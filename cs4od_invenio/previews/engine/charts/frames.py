"""Reading a batch into the frame of x, y and group that a chart draws."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..analyses import _filtered
from ..arrays import from_numpy
from .spec import _error, _label_type


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
