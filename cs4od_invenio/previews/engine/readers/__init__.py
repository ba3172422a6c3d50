"""Readers that turn a table file into a stream of Arrow record batches.

Every reader keeps memory bounded: it reads the file block by block and yields
batches with one schema. Types are inferred from the first block; when a later block
contradicts them a reader raises ``ReadAgain`` with wider types, and the caller reads
again (``read_table_stream`` below does that).
"""

from ..errors import ReadAgain, TabularError
from ..formats import detect_format
from .delimited import open_csv
from .eurostat import open_eurostat
from .jsonl import open_jsonl
from .parquet import open_parquet
from .xlsx import open_xlsx

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
        return open_csv(path, max_columns, header, bad_rows, hints)
    if fmt == "eurostat":
        return open_eurostat(path, hints)
    if fmt == "xlsx":
        return open_xlsx(path, max_columns, header, hints)
    if fmt == "jsonl":
        return open_jsonl(path, max_columns, hints)
    if fmt == "parquet":
        return open_parquet(path, max_columns)
    raise TabularError(f"Unknown table format {fmt!r}.", code="unsupported_format")
