"""Batches from row-oriented sources (XLSX, JSON Lines) of Python values."""

import json

import pyarrow as pa

from ..errors import ReadAgain

ROWS_PER_BATCH = 10_000


def _python_column(values, name, declared):
    """An Arrow array of Python values, of the declared type when there is one."""
    if declared is not None and not pa.types.is_null(declared):
        try:
            return pa.array(values, type=declared)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, TypeError):
            raise ReadAgain(types={name: _widen(declared, values)}) from None
    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, TypeError):
        return _text_array(values)
    if declared is not None and not pa.types.is_null(array.type):
        raise ReadAgain(types={name: array.type})
    if pa.types.is_struct(array.type) or pa.types.is_list(array.type):
        return _text_array(values)
    return array


def _text_array(values):
    return pa.array(
        [
            None if v is None else v if isinstance(v, str) else _as_text(v)
            for v in values
        ],
        pa.string(),
    )


def _as_text(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _widen(declared, values):
    numbers = all(
        v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))
        for v in values
    )
    if pa.types.is_integer(declared) and numbers:
        return pa.float64()
    return pa.string()


def batch_from_rows(rows, names, types):
    """A record batch of rows of Python values; ``types`` learns each column's type."""
    arrays = []
    for index, name in enumerate(names):
        values = [row[index] if index < len(row) else None for row in rows]
        declared = types.get(name)
        if declared is not None and pa.types.is_string(declared):
            array = _text_array(values)
        else:
            array = _python_column(values, name, declared)
        types.setdefault(name, array.type)
        if pa.types.is_null(types[name]) and not pa.types.is_null(array.type):
            raise ReadAgain(types={name: array.type})
        arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, names=names)
