"""CSV and TSV files, read by Arrow in blocks with the dialect that ``sniff`` found."""

import re

import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import ReadAgain, TabularError
from ..formats import sniff
from .stream import TableStream, unique_names

CSV_BLOCK_BYTES = 1024 * 1024

_CONVERSION = re.compile(
    r"In CSV column #(\d+): CSV conversion error to ([\w\[\], ]+): "
    r"invalid value '(.*)'",
    re.S,
)
_BAD_UTF8 = re.compile(
    r"In CSV column #(\d+): CSV conversion error to string: invalid UTF8"
)
_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def open_csv(path, max_columns, header, bad_rows, hints):
    """Open a CSV or TSV file; rows of the wrong width raise or are skipped."""
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
