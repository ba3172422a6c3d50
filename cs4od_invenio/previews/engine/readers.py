"""Readers that turn a table file into a stream of Arrow record batches.

Every reader keeps memory bounded: it reads the file block by block and yields
batches with one schema. Types are inferred from the first block; when a later block
contradicts them a reader raises ``ReadAgain`` with wider types, and the caller reads
again (``read_table_stream`` below does that).
"""

import json
import re
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .arrays import from_numpy
from .errors import ReadAgain, TabularError
from .formats import detect_format, sniff

CSV_BLOCK_BYTES = 1024 * 1024
ROWS_PER_BATCH = 10_000
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


@dataclass
class TableStream:
    """An opened table: its format, column names and a one-shot stream of batches."""

    format: str
    details: dict
    column_names: list
    batches: Iterator[pa.RecordBatch]
    total_rows: int | None = None
    warnings: list = field(default_factory=list)
    hints: dict = field(default_factory=dict)

    @property
    def columns_total(self):
        """How many columns the file has (the stream may carry fewer)."""
        return len(self.column_names)


MAX_READS = 6


def read_table_stream(path, consume, **options):
    """Open ``path`` and pass its stream to ``consume``, reading again when asked.

    A reader asks to be read again when a later block contradicts the types inferred
    from the first one; the last attempt reads every column of a CSV as text.
    """
    hints = dict(options.pop("hints", None) or {})
    for attempt in range(MAX_READS):
        if attempt == MAX_READS - 1:
            hints["all_text"] = True
        stream = open_table(path, hints=hints, **options)
        stream.hints = dict(hints)
        try:
            return consume(stream)
        except ReadAgain as again:
            for key, value in again.changes.items():
                if key == "types":
                    hints["types"] = {**hints.get("types", {}), **value}
                else:
                    hints[key] = value
        finally:
            stream.batches.close()
    raise TabularError("The column types of this table could not be settled.")


def open_table(
    path,
    *,
    name=None,
    fmt=None,
    max_columns=None,
    header=None,
    bad_rows="error",
    hints=None,
):
    """Open a table file of any supported format as a ``TableStream``."""
    fmt = fmt or detect_format(path, name)
    hints = hints or {}
    if bad_rows not in ("error", "skip"):
        raise ValueError("bad_rows is 'error' or 'skip'")
    if fmt == "csv":
        return _open_csv(path, max_columns, header, bad_rows, hints)
    if fmt == "eurostat":
        return _open_eurostat(path, hints)
    if fmt == "xlsx":
        return _open_xlsx(path, max_columns, header, hints)
    if fmt == "jsonl":
        return _open_jsonl(path, max_columns, hints)
    if fmt == "parquet":
        return _open_parquet(path, max_columns)
    raise TabularError(f"Unknown table format {fmt!r}.", code="unsupported_format")


def unique_names(raw):
    """Column names made non-empty and unique (``a``, ``a_2``, ``column_3``)."""
    names, seen = [], set()
    for index, value in enumerate(raw, start=1):
        base = str(value).strip() if value is not None else ""
        base = base or f"column_{index}"
        name, suffix = base, 2
        while name in seen:
            name, suffix = f"{base}_{suffix}", suffix + 1
        seen.add(name)
        names.append(name)
    return names


# CSV and TSV ------------------------------------------------------------------------

_CONVERSION = re.compile(
    r"In CSV column #(\d+): CSV conversion error to ([\w\[\], ]+): "
    r"invalid value '(.*)'",
    re.S,
)
_BAD_UTF8 = re.compile(
    r"In CSV column #(\d+): CSV conversion error to string: invalid UTF8"
)
_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def _open_csv(path, max_columns, header, bad_rows, hints):
    dialect, first = sniff(path, header=header)
    if hints.get("encoding"):
        dialect = type(dialect)(
            **{
                **dialect.as_dict(),
                "encoding": hints["encoding"],
                "encoding_guessed": True,
            }
        )
    names = unique_names(first if dialect.header else [None] * len(first))
    include = names[:max_columns] if max_columns else names
    warnings = []
    if dialect.encoding_guessed:
        warnings.append(
            f"The file is not valid UTF-8; it was read as {dialect.encoding} (a guess)."
        )
    types = dict(hints.get("types", {}))
    if hints.get("all_text"):
        types = {n: pa.string() for n in include}
    bad = []

    def on_invalid_row(row):
        bad.append(row)
        return "skip" if bad_rows == "skip" else "error"

    def options(use_threads):
        read = pacsv.ReadOptions(
            column_names=names,
            skip_rows=1 if dialect.header else 0,
            encoding=dialect.encoding,
            block_size=CSV_BLOCK_BYTES,
            use_threads=use_threads,
        )
        parse = pacsv.ParseOptions(
            delimiter=dialect.delimiter,
            quote_char=dialect.quotechar,
            newlines_in_values=dialect.newlines_in_values,
            invalid_row_handler=on_invalid_row,
        )
        convert = pacsv.ConvertOptions(
            include_columns=include,
            column_types=types,
            strings_can_be_null=True,
        )
        return {
            "read_options": read,
            "parse_options": parse,
            "convert_options": convert,
        }

    def batches():
        try:
            for batch in pacsv.open_csv(path, **options(True)):
                _refuse_binary_columns(batch, dialect)
                yield batch
        except pa.ArrowInvalid as exc:
            raise _csv_error(exc, names, types, bad, dialect, locate) from None
        if bad:
            shown = ", ".join(str(r.number) for r in bad[:5] if r.number is not None)
            warnings.append(
                f"{len(bad)} rows without {len(names)} fields were skipped"
                + (f" (lines {shown}…)" if shown else "")
                + "."
            )

    def locate():
        # Threads hide line numbers: read again on one thread to find the bad row.
        bad.clear()
        try:
            for _ in pacsv.open_csv(path, **options(False)):
                pass
        except pa.ArrowInvalid:
            pass
        return bad[0] if bad else None

    details = {"dialect": dialect.as_dict()}
    return TableStream("csv", details, names, batches(), warnings=warnings)


def _refuse_binary_columns(batch, dialect):
    for index, column in enumerate(batch.columns):
        if pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
            if dialect.encoding == "utf-8":
                raise ReadAgain(encoding="cp1252")
            raise TabularError(
                f"Column {batch.schema.names[index]!r} holds bytes that are not text "
                f"in {dialect.encoding}.",
                code="encoding",
                column=batch.schema.names[index],
            )


def _csv_error(exc, names, types, bad, dialect, locate):
    message = str(exc)
    if bad and "Expected" in message and "columns" in message:
        row = bad[0] if bad[0].number is not None else (locate() or bad[0])
        line = row.number
        where = f"Line {line}" if line is not None else "A row"
        text = row.text if len(row.text) <= 80 else row.text[:80] + "…"
        return TabularError(
            f"{where} has {row.actual_columns} fields where the header has "
            f"{row.expected_columns}: {text!r}.",
            code="ragged",
            line=line,
        )
    utf8 = _BAD_UTF8.search(message)
    if utf8:
        if dialect.encoding == "utf-8":
            return ReadAgain(encoding="cp1252")
        column = names[int(utf8.group(1))]
        return TabularError(
            f"Column {column!r} is not valid text in {dialect.encoding}.",
            code="encoding",
            column=column,
        )
    conversion = _CONVERSION.search(message)
    if conversion:
        column = names[int(conversion.group(1))]
        value = conversion.group(3)
        integer = conversion.group(2).startswith("int")
        wider = pa.float64() if integer and _NUMBER.match(value) else pa.string()
        if types.get(column) == wider:
            wider = pa.string()
        return ReadAgain(types={column: wider})
    return TabularError(
        f"The file could not be read as a table: {message}", code="parse"
    )


# Eurostat TSV -----------------------------------------------------------------------

_EUROSTAT_CELL = (
    r"^(?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)?"
    r"\s*(?P<missing>:)?\s*(?P<flags>[a-z]*)$"
)


def _open_eurostat(path, hints):
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


# Row-oriented sources (XLSX, JSON Lines) --------------------------------------------


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


def _batch_from_rows(rows, names, types):
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


def _open_xlsx(path, max_columns, header, hints):
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged archives
        raise TabularError(
            f"The XLSX workbook could not be opened: {exc}", code="corrupt"
        )
    sheet = book[hints["sheet"]] if hints.get("sheet") else book.worksheets[0]
    rows = (
        r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)
    )
    first = next(rows, None)
    if first is None:
        book.close()
        raise TabularError(f"The sheet {sheet.title!r} is empty.", code="empty")
    if header is None:
        header = all(isinstance(v, str) or v is None for v in first)
    names = unique_names(first if header else [None] * len(first))
    width = len(names)
    include = names[:max_columns] if max_columns else names
    types = dict(hints.get("types", {}))

    def batches():
        try:
            chunk = [] if header else [first]
            for row in rows:
                chunk.append(row[:width])
                if len(chunk) >= ROWS_PER_BATCH:
                    yield _batch_from_rows(chunk, include, types)
                    chunk = []
            if chunk:
                yield _batch_from_rows(chunk, include, types)
        finally:
            book.close()

    details = {"sheet": sheet.title, "sheets": book.sheetnames, "header": bool(header)}
    return TableStream("xlsx", details, names, batches())


def _open_jsonl(path, max_columns, hints):
    names = list(hints.get("columns", []))
    if not names:
        names = _jsonl_keys(path)
    include = names[:max_columns] if max_columns else names
    types = dict(hints.get("types", {}))
    known = set(names)

    def batches():
        chunk = []
        with open(path, encoding="utf-8", errors="strict") as handle:
            number = 0
            try:
                for number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    record = _json_record(line, number)
                    new = [k for k in record if k not in known]
                    if new and len(names) < (max_columns or 1 << 30):
                        raise ReadAgain(columns=names + new)
                    chunk.append([record.get(n) for n in include])
                    if len(chunk) >= ROWS_PER_BATCH:
                        yield _batch_from_rows(chunk, include, types)
                        chunk = []
            except UnicodeDecodeError as exc:
                raise TabularError(
                    f"Line {number + 1} is not valid UTF-8 ({exc.reason}); JSON Lines "
                    "files are UTF-8.",
                    code="encoding",
                    line=number + 1,
                ) from None
        if chunk:
            yield _batch_from_rows(chunk, include, types)

    return TableStream("jsonl", {}, names, batches())


def _jsonl_keys(path, lines=1000):
    names = {}
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if number > lines:
                break
            if line.strip():
                names.update(dict.fromkeys(_json_record(line, number)))
    if not names:
        raise TabularError("The JSON Lines file has no records.", code="empty")
    return list(names)


def _json_record(line, number):
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise TabularError(
            f"Line {number} is not valid JSON: {exc.msg} (column {exc.colno}).",
            code="parse",
            line=number,
        ) from None
    if not isinstance(record, dict):
        raise TabularError(
            f"Line {number} is a JSON {type(record).__name__}, not an object.",
            code="parse",
            line=number,
        )
    return record


# Parquet ----------------------------------------------------------------------------


def _open_parquet(path, max_columns):
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise TabularError(f"The Parquet file could not be read: {exc}", code="corrupt")
    names = parquet.schema_arrow.names
    include = names[:max_columns] if max_columns else names

    def batches():
        try:
            for batch in parquet.iter_batches(batch_size=64 * 1024, columns=include):
                yield batch
        except (pa.ArrowInvalid, OSError) as exc:
            raise TabularError(
                f"The Parquet file could not be read: {exc}", code="corrupt"
            ) from None

    details = {"row_groups": parquet.num_row_groups}
    return TableStream(
        "parquet", details, list(names), batches(), total_rows=parquet.metadata.num_rows
    )

