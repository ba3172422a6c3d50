"""Moving data between numpy and Arrow without pyarrow's pandas probing.

``pa.array(...)``, ``Array.to_numpy()`` and Python scalars in compute calls make
pyarrow import pandas (~40 MB, ~0.2 s) to check for pandas types; the streaming
preview stays within its memory budget by going through the buffers instead.
"""

import numpy as np
import pyarrow as pa

_TYPES = {np.dtype(np.int64): pa.int64(), np.dtype(np.float64): pa.float64()}


def from_numpy(values):
    """An Arrow array over a 1-D int64 or float64 numpy array, without nulls."""
    values = np.ascontiguousarray(values)
    if values.dtype not in _TYPES:
        values = values.astype(np.float64 if values.dtype.kind == "f" else np.int64)
    return pa.Array.from_buffers(
        _TYPES[values.dtype], len(values), [None, pa.py_buffer(values)]
    )


def to_numpy(array):
    """A numpy view of a primitive Arrow array (nulls are not masked)."""
    if isinstance(array, pa.ChunkedArray):
        if not array.num_chunks:
            return np.zeros(0, dtype=array.type.to_pandas_dtype())
        return np.concatenate([to_numpy(chunk) for chunk in array.chunks])
    if pa.types.is_boolean(array.type):
        return bits(array.buffers()[1], array.offset, len(array))
    dtype = np.dtype(array.type.to_pandas_dtype())
    data = np.frombuffer(array.buffers()[1], dtype=dtype)
    return data[array.offset : array.offset + len(array)]


def valid(array):
    """Which slots of an Arrow array hold a value."""
    if not array.null_count:
        return np.ones(len(array), dtype=bool)
    return bits(array.buffers()[0], array.offset, len(array))


def bits(buffer, offset, length):
    """A bit-packed Arrow buffer as a numpy bool array."""
    packed = np.frombuffer(buffer, dtype=np.uint8)
    return np.unpackbits(packed, bitorder="little")[offset : offset + length].view(bool)
