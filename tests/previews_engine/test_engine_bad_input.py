"""Input that is not a good table gets a clear TabularError or a flagged preview."""

import csv
import io
import zipfile

import pytest

from cs4od_invenio.previews.engine import TabularError, preview
from cs4od_invenio.previews.engine.readers import delimited


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_binary_file_named_csv(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    with pytest.raises(TabularError) as error:
        preview(path)
    assert error.value.code == "binary"
    assert "not text" in error.value.message


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(TabularError, match="empty"):
        preview(path)


def test_ragged_row_reports_its_line(population_csv, tmp_path):
    lines = _lines(population_csv)
    lines[4] = lines[4].rsplit(",", 1)[0]  # line 5 loses its last field
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(TabularError) as error:
        preview(path)
    assert error.value.code == "ragged"
    assert error.value.line == 5
    header_fields = len(lines[0].split(","))
    assert (
        f"Line 5 has {header_fields - 1} fields where the header has {header_fields}"
        in (error.value.message)
    )
    assert error.value.as_dict()["line"] == 5


def test_ragged_rows_can_be_skipped_with_a_warning(population_csv, tmp_path):
    lines = _lines(population_csv)
    lines[4] = lines[4] + ",1,2"
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = preview(path, bad_rows="skip")
    assert result["row_count"] == len(lines) - 2
    assert any("1 rows without" in w for w in result["warnings"])


def test_ten_thousand_columns_are_capped(tmp_path):
    path = tmp_path / "wide.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"c{i}" for i in range(10_000)])
        for row in range(3):
            writer.writerow([row * i for i in range(10_000)])

    result = preview(path, max_columns=200)
    assert result["columns_total"] == 10_000
    assert result["columns_truncated"] is True
    assert len(result["columns"]) == 200
    assert all(len(row) == 200 for row in result["rows"])
    assert result["columns"][-1]["name"] == "c199"
    assert any("10000 columns" in w for w in result["warnings"])


def test_windows_1252_file_is_read_with_a_warning(population_csv, tmp_path):
    text = population_csv.read_text(encoding="utf-8").replace("Region", "Région")
    path = tmp_path / "latin.csv"
    path.write_bytes(text.encode("cp1252"))

    result = preview(path)
    assert result["columns"][0]["name"] == "Région"
    assert result["details"]["dialect"]["encoding"] == "cp1252"
    assert any("not valid UTF-8" in w for w in result["warnings"])


def test_invalid_utf8_after_the_sniffed_sample(population_csv, tmp_path, monkeypatch):
    monkeypatch.setattr(delimited, "CSV_BLOCK_BYTES", 4096)
    lines = _lines(population_csv)
    body = lines[1:] * 8000  # well past the 256 KiB sample
    path = tmp_path / "late.csv"
    data = "\n".join([lines[0]] + body + ["Réunion" + lines[1][5:]]) + "\n"
    path.write_bytes(data.encode("cp1252"))

    result = preview(path)
    assert result["row_count"] == len(body) + 1
    assert result["details"]["dialect"]["encoding"] == "cp1252"
    regions = {v["value"] for v in result["columns"][0]["stats"]["top_values"]}
    assert "Réunion" in regions
    assert any("not valid UTF-8" in w for w in result["warnings"])


def test_a_text_value_late_in_a_number_column_widens_the_type(
    population_csv, tmp_path, monkeypatch
):
    monkeypatch.setattr(delimited, "CSV_BLOCK_BYTES", 1024)
    lines = _lines(population_csv)
    body = lines[1:] * 50
    path = tmp_path / "late_text.csv"
    path.write_text("\n".join([lines[0]] + body + ["Mars,n.d." + lines[1][9:]]) + "\n")

    result = preview(path)
    assert result["row_count"] == len(body) + 1
    column = result["columns"][1]
    assert column["type"] == "text"
    assert {"value": "n.d.", "count": 1} in column["stats"]["top_values"]
    assert result["columns"][2]["type"] in ("integer", "number")


def test_formula_like_cells_are_counted_not_executed(population_csv, tmp_path):
    lines = _lines(population_csv)
    lines += [
        '"=HYPERLINK(""http://example.org"",""x"")",1,2,3,4,5,6,7,8,9,10,11,12,13,14',
        "@SUM(A1),1,2,3,4,5,6,7,8,9,10,11,12,13,14",
        "-12,1,2,3,4,5,6,7,8,9,10,11,12,13,14",
        "+,1,2,3,4,5,6,7,8,9,10,11,12,13,14",
    ]
    path = tmp_path / "formulas.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = preview(path, max_rows=100)
    stats = result["columns"][0]["stats"]
    # "-12" is a number and a lone "+" is no formula; the other two would run.
    assert stats["formula_like"] == 2
    assert stats["formula_examples"][0].startswith("=HYPERLINK(")
    assert result["rows"][-4][0] == '=HYPERLINK("http://example.org","x")'
    assert any("Region" in w and "formulas" in w for w in result["warnings"])


def test_json_lines_with_a_broken_line(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"a": 1}\n{"a": 2}\n{"a": 3\n', encoding="utf-8")
    with pytest.raises(TabularError) as error:
        preview(path)
    assert error.value.line == 3
    assert "Line 3 is not valid JSON" in error.value.message


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("table.json", b'[{"a": 1}]', "JSON array"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "legacy Excel"),
        ("fake.xlsx", b"a,b\n1,2\n", "content is text"),
    ],
)
def test_unsupported_formats_are_named(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TabularError, match=words) as error:
        preview(path)
    assert error.value.code == "unsupported_format"


def test_zip_that_is_not_a_workbook(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    path = tmp_path / "data.zip"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(TabularError, match="ZIP archive"):
        preview(path)


def test_distinct_counts_stop_being_exact_past_the_cap(deaths_tsv):
    result = preview(deaths_tsv, distinct_cap=100)
    by_name = {c["name"]: c["stats"] for c in result["columns"]}
    assert by_name["time"]["distinct"] == {"more_than": 100, "exact": False}
    assert by_name["time"]["top_values_exact"] is False
    assert by_name["sex"]["distinct"] == {"count": 3, "exact": True}
    assert by_name["sex"]["top_values_exact"] is True
