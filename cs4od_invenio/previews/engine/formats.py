"""Recognising a file's tabular format and, for delimited text, its dialect."""

import csv
import io
import json
import re
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import TabularError

SAMPLE_BYTES = 256 * 1024
DELIMITERS = (",", "\t", ";", "|")
SNIFF_RECORDS = 200

FORMATS = ("csv", "eurostat", "xlsx", "jsonl", "parquet")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_NUMBER = re.compile(r"^\s*[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?\s*$")


@dataclass(frozen=True)
class Dialect:
    """How a delimited text file is written."""

    encoding: str
    delimiter: str
    quotechar: str
    header: bool
    newlines_in_values: bool
    encoding_guessed: bool = False

    def as_dict(self):
        """The dialect as plain data."""
        return asdict(self)


def read_sample(path, size=SAMPLE_BYTES):
    """The first ``size`` bytes of a file, and whether that is the whole file."""
    with open(path, "rb") as handle:
        sample = handle.read(size + 1)
    return sample[:size], len(sample) <= size


def detect_format(path, name=None):
    """The format of a table file, from its content first and its name second."""
    name = name or Path(path).name
    sample, complete = read_sample(path)
    if not sample:
        raise TabularError("The file is empty.", code="empty")
    if sample.startswith(b"PAR1"):
        return "parquet"
    if sample.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise TabularError(
            "This is a legacy Excel (.xls) or other OLE2 file; save it as .xlsx "
            "or CSV.",
            code="unsupported_format",
        )
    text, _, _ = decode_sample(sample, complete)
    stripped = text.lstrip()
    if stripped.startswith("{"):
        first_line = stripped.split("\n", 1)[0]
        try:
            if isinstance(json.loads(first_line), dict):
                return "jsonl"
        except ValueError:
            pass
        raise TabularError(
            "This looks like JSON but its first line is not one JSON object; JSON "
            "Lines (one object per line) is expected.",
            code="unsupported_format",
        )
    if stripped.startswith("["):
        raise TabularError(
            "This is a JSON array; write one JSON object per line (JSON Lines) "
            "instead.",
            code="unsupported_format",
        )
    first_line = text.split("\n", 1)[0]
    first_cell = first_line.split("\t", 1)[0]
    if "\t" in first_line and "\\" in first_cell and "," in first_cell:
        return "eurostat"
    if Path(name).suffix.lower() in (".xlsx", ".parquet"):
        raise TabularError(
            f"The file is named {Path(name).suffix} but its content is text.",
            code="unsupported_format",
        )
    return "csv"


def _zip_format(path):
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise TabularError(
            f"The file starts like a ZIP/XLSX archive but is damaged: {exc}.",
            code="corrupt",
        ) from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise TabularError(
        "This is a ZIP archive, not a table; upload the table files it holds.",
        code="unsupported_format",
    )


def decode_sample(sample, complete):
    """Decode a sample: (text, encoding, guessed); binary content is refused."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return sample.decode("utf-16", errors="replace"), "utf-16", False
    if b"\x00" in sample or _control_ratio(sample) > 0.05:
        raise TabularError(
            "The file holds binary data, not text: it is not a CSV or TSV table.",
            code="binary",
        )
    encoding = "utf-8"
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A sample cut in the middle of a multi-byte character is still UTF-8.
        if not complete and exc.start >= len(sample) - 3:
            text = sample[: exc.start].decode("utf-8-sig")
        else:
            encoding, text = _legacy_decode(sample)
            return text, encoding, True
    return text, encoding, False


def _legacy_decode(sample):
    try:
        return "cp1252", sample.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", sample.decode("latin-1")


def _control_ratio(sample):
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample)


def sniff(path, *, header=None):
    """The dialect of a delimited text file and its first record."""
    sample, complete = read_sample(path)
    if not sample.strip():
        raise TabularError("The file is empty.", code="empty")
    text, encoding, guessed = decode_sample(sample, complete)
    if not complete:
        # Drop the last, probably partial, line of the sample.
        text = text[: text.rfind("\n") + 1] or text
    quotechar = _quotechar(text)
    delimiter, records = _delimiter(text, quotechar)
    if not records:
        raise TabularError("The file has no rows.", code="empty")
    if header is None:
        header = not all(_NUMBER.match(c) or not c.strip() for c in records[0])
    newlines = any("\n" in cell or "\r" in cell for row in records for cell in row)
    dialect = Dialect(encoding, delimiter, quotechar, bool(header), newlines, guessed)
    return dialect, records[0]


def _quotechar(text):
    doubles = text.count('"')
    singles = len(re.findall(r"(?:^|[,;\t|])'[^'\n]*'(?=[,;\t|]|$)", text, re.M))
    return "'" if singles > 1 and doubles == 0 else '"'


def _records(text, delimiter, quotechar):
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quotechar)
    rows = []
    try:
        for row in reader:
            if row:
                rows.append(row)
            if len(rows) >= SNIFF_RECORDS:
                break
    except csv.Error:
        pass
    return rows


def _delimiter(text, quotechar):
    """The delimiter whose rows most consistently have the header's width."""
    best = None
    for rank, delimiter in enumerate(DELIMITERS):
        rows = _records(text, delimiter, quotechar)
        if not rows:
            continue
        width = len(rows[0])
        consistent = sum(1 for r in rows if len(r) == width) / len(rows)
        key = (width > 1, consistent, width, -rank)
        if best is None or key > best[0]:
            best = (key, delimiter, rows)
    if best is None:
        return ",", []
    return best[1], best[2]


def looks_like_number(text):
    """Whether a text cell would be read as a number by a spreadsheet."""
    return bool(_NUMBER.match(text))
