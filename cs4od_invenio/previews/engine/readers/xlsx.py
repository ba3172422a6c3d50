"""XLSX workbooks, one sheet read row by row."""

from ..errors import TabularError
from .rows import ROWS_PER_BATCH, batch_from_rows
from .stream import TableStream, unique_names


def open_xlsx(path, max_columns, header, hints):
    """Open a sheet of an XLSX workbook (the first unless the hints name one)."""
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
                    yield batch_from_rows(chunk, include, types)
                    chunk = []
            if chunk:
                yield batch_from_rows(chunk, include, types)
        finally:
            book.close()

    details = {"sheet": sheet.title, "sheets": book.sheetnames, "header": bool(header)}
    return TableStream("xlsx", details, names, batches())
