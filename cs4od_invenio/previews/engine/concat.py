"""Concatenation of tables: columns aligned by name, written as one streamed CSV."""

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from .errors import ReadAgain, TabularError
from .readers import read_table_stream
from .stats import type_label


def concatenate(inputs, output, *, names=None, formats=None):
    """Stack the rows of two or more tables into the CSV file ``output``.

    Columns are aligned by name (in order of first appearance); a column an input
    lacks is left empty for its rows. A column whose type differs between inputs is
    written as the common type: ``number`` for integers and numbers, else ``text``.
    Each input is read twice (once to settle its column types, once to write), in
    bounded memory. Returns the report: ``{"rows", "columns", "common_columns",
    "inputs": [{"name", "format", "rows", "columns", "missing_columns",
    "added_columns"}], "type_conflicts": [{"column", "types", "resolved_as"}],
    "output": {...}}``. Raises ``TabularError`` when the inputs share no column.
    """
    inputs = [Path(p) for p in inputs]
    if len(inputs) < 2:
        raise TabularError("Concatenation needs at least two tables.", code="concat")
    names = list(names or [p.name for p in inputs])
    formats = list(formats or [None] * len(inputs))
    settled = [_settle(p, n, f) for p, n, f in zip(inputs, names, formats)]
    columns, conflicts = _unify(settled)
    common = [c for c in columns if all(c in s["types"] for s in settled)]
    if not common:
        listing = "; ".join(
            f"{s['name']} ({s['format']}): {', '.join(s['types']) or 'no columns'}"
            for s in settled
        )
        raise TabularError(
            "These tables share no column, so their rows cannot be aligned: "
            f"{listing}.",
            code="concat",
        )
    schema = pa.schema([(name, arrow_type) for name, arrow_type in columns.items()])
    first = set(settled[0]["types"])
    rows = 0
    with pacsv.CSVWriter(str(output), schema) as writer:
        for path, item in zip(inputs, settled):
            rows += _write(path, item, schema, writer)
    return {
        "rows": rows,
        "columns": [{"name": f.name, "type": type_label(f.type)} for f in schema],
        "common_columns": common,
        "inputs": [
            {
                "name": s["name"],
                "format": s["format"],
                "rows": s["rows"],
                "columns": list(s["types"]),
                "missing_columns": [c for c in columns if c not in s["types"]],
                "added_columns": [c for c in s["types"] if c not in first],
            }
            for s in settled
        ],
        "type_conflicts": conflicts,
        "output": {"format": "csv", "delimiter": ",", "encoding": "utf-8"},
    }


def _settle(path, name, fmt):
    """Read a table once: its final column types, row count and reading hints."""

    def consume(stream):
        schema, rows = None, 0
        for batch in stream.batches:
            schema = schema or batch.schema
            rows += batch.num_rows
        if schema is None:
            schema = pa.schema([(n, pa.null()) for n in stream.column_names])
        types = {f.name: _plain(f.type) for f in schema}
        return {
            "name": name,
            "format": stream.format,
            "fmt": stream.format,
            "types": types,
            "rows": rows,
            "hints": stream.hints,
        }

    return read_table_stream(path, consume, fmt=fmt, name=name)


def _plain(arrow_type):
    return arrow_type.value_type if pa.types.is_dictionary(arrow_type) else arrow_type


def _unify(settled):
    """The output columns with their common types, and the conflicts resolved."""
    seen = {}
    for item in settled:
        for column, arrow_type in item["types"].items():
            seen.setdefault(column, []).append((item["name"], arrow_type))
    columns, conflicts = {}, []
    for column, typed in seen.items():
        kinds = {t for _, t in typed if not pa.types.is_null(t)}
        if not kinds:
            columns[column] = pa.string()
            continue
        if len(kinds) == 1:
            columns[column] = kinds.pop()
            continue
        labels = {type_label(t) for t in kinds}
        numeric = labels <= {"integer", "number"}
        textual = all(
            pa.types.is_string(t) or pa.types.is_large_string(t) for t in kinds
        )
        if textual:
            columns[column] = pa.string()
            continue
        columns[column] = pa.float64() if numeric else pa.string()
        conflicts.append(
            {
                "column": column,
                "types": {n: type_label(t) for n, t in typed},
                "resolved_as": "number" if numeric else "text",
            }
        )
    return columns, conflicts


def _write(path, item, schema, writer):
    """Append one input's rows, aligned to the output schema; return their count."""

    def consume(stream):
        rows = 0
        try:
            for batch in stream.batches:
                writer.write_batch(_align(batch, schema))
                rows += batch.num_rows
        except ReadAgain:
            # Reading again would write rows twice; the first read settled the types.
            raise TabularError(
                f"{item['name']} changed while it was being read.", code="concat"
            ) from None
        return rows

    return read_table_stream(
        path, consume, fmt=item["fmt"], name=item["name"], hints=item["hints"]
    )


def _align(batch, schema):
    arrays = []
    for field in schema:
        index = batch.schema.get_field_index(field.name)
        if index < 0:
            arrays.append(pa.nulls(batch.num_rows, field.type))
            continue
        column = batch.column(index)
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        arrays.append(column if column.type == field.type else column.cast(field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
