"""Any table of text and number cells survives CSV writing, detection and preview."""

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cs4od_invenio.previews.engine import preview

# Words that CSV readers take for empty cells or booleans, not text.
_SPECIAL = {"na", "n/a", "nan", "null", "none", "true", "false", "inf", "infinity"}

names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
texts = st.from_regex(
    r"[A-Za-z][A-Za-z0-9 ,;|\t\"'\n.:=+@-]{0,12}", fullmatch=True
).filter(lambda t: t.strip().lower() not in _SPECIAL)
kinds = {
    "text": texts,
    "integer": st.integers(min_value=-(10**12), max_value=10**12),
    "number": st.floats(allow_nan=False, allow_infinity=False),
}


@st.composite
def tables(draw):
    """A header of unique names and rows whose columns each hold one kind of cell."""
    width = draw(st.integers(min_value=2, max_value=6))
    header = draw(st.lists(names, min_size=width, max_size=width, unique=True))
    column_kinds = draw(
        st.lists(st.sampled_from(sorted(kinds)), min_size=width, max_size=width)
    )
    height = draw(st.integers(min_value=1, max_value=15))
    rows = [[draw(kinds[kind]) for kind in column_kinds] for _ in range(height)]
    return header, column_kinds, rows


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    table=tables(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
)
def test_csv_round_trip(table, delimiter, quoting):
    header, column_kinds, rows = table
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(
                handle, delimiter=delimiter, quoting=quoting, lineterminator="\n"
            )
            writer.writerow(header)
            writer.writerows(
                [[repr(v) if isinstance(v, float) else v for v in r] for r in rows]
            )
        result = preview(path, max_rows=len(rows))

    assert result["details"]["dialect"]["delimiter"] == delimiter
    assert result["row_count"] == len(rows)
    assert [c["name"] for c in result["columns"]] == header
    for column, kind in zip(result["columns"], column_kinds):
        if kind == "number":
            assert column["type"] in ("number", "integer")
        else:
            assert column["type"] == kind
    assert result["rows"] == rows
