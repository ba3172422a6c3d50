"""The preview of a table: schema, first rows, row count and per-column statistics."""

import queue
import threading

import pyarrow as pa

from .errors import TabularError
from .readers import read_table_stream
from .stats import column_stats, type_label
from .values import jsonable

CHUNK_ROWS = 128 * 1024
CHUNK_BYTES = 16 * 1024 * 1024
PREFETCH = 4


def preview(
    path,
    *,
    name=None,
    fmt=None,
    max_rows=20,
    max_columns=200,
    distinct_cap=10_000,
    top_values=10,
    header=None,
    bad_rows="error",
):
    """Preview a table file in one streaming pass; returns plain JSON-serialisable data.

    ``{"format", "details", "row_count", "columns": [{"name", "type", "stats"}],
    "rows": [[...], ...], "columns_total", "columns_truncated", "warnings"}``; raises
    ``TabularError`` with a readable message for input that is not a readable table.
    """

    def consume(stream):
        return _preview_stream(stream, max_rows, max_columns, distinct_cap, top_values)

    return read_table_stream(
        path,
        consume,
        name=name,
        fmt=fmt,
        max_columns=max_columns,
        header=header,
        bad_rows=bad_rows,
    )


def _preview_stream(stream, max_rows, max_columns, distinct_cap, top_values):
    schema, accumulators, rows, row_count = None, [], [], 0
    for chunk in _chunks(_prefetch(stream.batches)):
        if schema is None:
            schema = chunk[0].schema
            accumulators = [
                column_stats(f.type, distinct_cap=distinct_cap, top_values=top_values)
                for f in schema
            ]
        chunk = [b if b.schema == schema else _conform(b, schema) for b in chunk]
        for batch in chunk:
            if len(rows) >= max_rows:
                break
            head = batch.slice(0, max_rows - len(rows)).to_pylist()
            rows += [[jsonable(r[n]) for n in schema.names] for r in head]
        table = pa.Table.from_batches(chunk, schema=schema)
        for accumulator, column in zip(accumulators, table.columns):
            accumulator.update(column)
        row_count += table.num_rows
    if schema is None:
        schema = pa.schema([(n, pa.null()) for n in stream.column_names[:max_columns]])
        accumulators = [column_stats(pa.null()) for _ in schema]
    columns = [
        {
            "name": f.name,
            "type": type_label(f.type),
            "arrow_type": str(f.type),
            "stats": a.result(),
        }
        for f, a in zip(schema, accumulators)
    ]
    warnings = list(stream.warnings)
    truncated = stream.columns_total > len(columns)
    if truncated:
        warnings.append(
            f"The table has {stream.columns_total} columns; the preview shows "
            f"the first {len(columns)}."
        )
    formulas = [c["name"] for c in columns if c["stats"].get("formula_like")]
    if formulas:
        warnings.append(
            "Cells that a spreadsheet would run as formulas (starting with =, +, - "
            f"or @) are in: {', '.join(formulas)}."
        )
    return {
        "format": stream.format,
        "details": jsonable(stream.details),
        "row_count": row_count,
        "columns_total": stream.columns_total,
        "columns_truncated": truncated,
        "columns": columns,
        "rows": rows,
        "warnings": warnings,
    }


def _conform(batch, schema):
    """A batch cast to the stream's first schema (Parquet row groups may differ)."""
    try:
        return pa.RecordBatch.from_arrays(
            [c.cast(f.type) for c, f in zip(batch.columns, schema)], schema=schema
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise TabularError(f"Parts of the table have different column types: {exc}")


def _chunks(batches):
    """Group small batches so that statistics run on fewer, larger pieces."""
    chunk, rows, size = [], 0, 0
    for batch in batches:
        if not batch.num_rows:
            continue
        chunk.append(batch)
        rows += batch.num_rows
        size += batch.nbytes
        if rows >= CHUNK_ROWS or size >= CHUNK_BYTES:
            yield chunk
            chunk, rows, size = [], 0, 0
    if chunk:
        yield chunk


def _prefetch(batches, depth=PREFETCH):
    """Read batches on a second thread while this one computes statistics.

    Arrow releases the GIL while it parses and computes, so on two cores reading and
    statistics overlap; the queue bounds how many batches wait in memory.
    """
    slots = queue.Queue(depth)
    stop = threading.Event()
    done = object()

    def put(item):
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work():
        try:
            for batch in batches:
                if not put((batch, None)):
                    break
            else:
                put((done, None))
        except BaseException as exc:  # handed over to the consuming thread
            put((done, exc))
        finally:
            batches.close()

    thread = threading.Thread(target=work, name="table-reader", daemon=True)
    thread.start()
    try:
        while True:
            item, error = slots.get()
            if item is done:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        thread.join()
