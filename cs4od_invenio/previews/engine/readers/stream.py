"""What every reader returns, and the column names it makes from a header row."""

from dataclasses import dataclass, field
from typing import Iterator

import pyarrow as pa


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
