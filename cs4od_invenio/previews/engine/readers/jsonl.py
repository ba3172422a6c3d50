"""JSON Lines: one object a line, its keys the columns."""

import json

from ..errors import ReadAgain, TabularError
from .rows import ROWS_PER_BATCH, batch_from_rows
from .stream import TableStream


def open_jsonl(path, max_columns, hints):
    """Open a JSON Lines file; a key first seen late asks to read again."""
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
                        yield batch_from_rows(chunk, include, types)
                        chunk = []
            except UnicodeDecodeError as exc:
                raise TabularError(
                    f"Line {number + 1} is not valid UTF-8 ({exc.reason}); JSON Lines "
                    "files are UTF-8.",
                    code="encoding",
                    line=number + 1,
                ) from None
        if chunk:
            yield batch_from_rows(chunk, include, types)

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
