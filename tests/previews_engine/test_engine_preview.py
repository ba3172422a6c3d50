"""Previews of real tables in every supported format."""

import csv
import json
import statistics

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cs4od_invenio.previews.engine import preview
from cs4od_invenio.previews.engine.readers import open_table


def _csv_rows(path, delimiter=","):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    return rows[0], rows[1:]


def _numbers(text):
    return int(text) if text.lstrip("-").isdigit() else float(text)


def test_csv_preview_schema_rows_and_stats(population_csv):
    header, body = _csv_rows(population_csv)
    result = preview(population_csv)

    assert result["format"] == "csv"
    assert result["details"]["dialect"]["delimiter"] == ","
    assert result["details"]["dialect"]["header"] is True
    assert result["row_count"] == len(body)
    assert [c["name"] for c in result["columns"]] == header
    assert result["columns"][0]["type"] == "text"
    assert {c["type"] for c in result["columns"][1:]} <= {"integer", "number"}
    assert result["rows"] == [[row[0]] + [_numbers(v) for v in row[1:]] for row in body]

    values = [float(row[header.index("1950")]) for row in body]
    stats = result["columns"][header.index("1950")]["stats"]
    assert stats["min"] == min(values) and stats["max"] == max(values)
    assert stats["mean"] == pytest.approx(statistics.mean(values))
    assert stats["std"] == pytest.approx(statistics.stdev(values))
    regions = result["columns"][0]["stats"]
    assert regions["distinct"] == {"count": len(body), "exact": True}
    assert regions["formula_like"] == 0
    json.dumps(result, allow_nan=False)


def test_max_rows_limits_rows_not_statistics(population_csv):
    _, body = _csv_rows(population_csv)
    result = preview(population_csv, max_rows=2)
    assert len(result["rows"]) == 2
    assert result["row_count"] == len(body)
    assert result["columns"][1]["stats"]["values"] == len(body)


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_other_delimiters_give_the_same_preview(population_csv, tmp_path, delimiter):
    header, body = _csv_rows(population_csv)
    other = tmp_path / "population.txt"
    with open(other, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC).writerows(
            [header] + [[r[0]] + [float(v) for v in r[1:]] for r in body]
        )
    expected = preview(population_csv)
    result = preview(other)
    assert result["details"]["dialect"]["delimiter"] == delimiter
    assert result["columns"] == expected["columns"]
    assert result["rows"] == [
        [r[0]] + [float(v) for v in r[1:]] for r in expected["rows"]
    ]


def test_eurostat_tsv_is_unpacked_into_dimensions_time_value_and_flags(deaths_tsv):
    header, body = _csv_rows(deaths_tsv, delimiter="\t")
    periods = [h.strip() for h in header[1:]]
    cells = [c.strip() for row in body for c in row[1:]]

    result = preview(deaths_tsv, max_rows=len(periods) + 1)

    assert result["format"] == "eurostat"
    assert result["details"]["dimensions"] == ["sex", "unit", "geo"]
    assert result["details"]["time_dimension"] == "time"
    names = [c["name"] for c in result["columns"]]
    assert names == ["sex", "unit", "geo", "time", "value", "flags"]
    assert result["row_count"] == len(body) * len(periods)
    by_name = {c["name"]: c for c in result["columns"]}
    assert by_name["value"]["type"] == "integer"
    assert by_name["value"]["stats"]["nulls"] == sum(
        1 for c in cells if c.startswith(":")
    )
    flagged = sum(1 for c in cells if c.endswith(" p"))
    assert by_name["flags"]["stats"]["top_values"] == [{"value": "p", "count": flagged}]
    assert by_name["geo"]["stats"]["distinct"]["count"] == len(
        {row[0].split(",")[2] for row in body}
    )
    first_key = body[0][0].split(",")
    assert result["rows"][0][:4] == first_key + [periods[0]]
    # the second wide row starts after all periods of the first
    assert result["rows"][len(periods)][:3] == body[1][0].split(",")


def test_eurostat_cells_keep_number_and_flag(deaths_tsv):
    header, body = _csv_rows(deaths_tsv, delimiter="\t")
    periods = [h.strip() for h in header[1:]]
    row = next(r for r in body if any(c.strip().endswith(" p") for c in r[1:]))
    index = next(i for i, c in enumerate(row[1:]) if c.strip().endswith(" p"))
    number, flag = row[index + 1].split()
    key = row[0].split(",")

    stream = open_table(deaths_tsv)
    table = pa.Table.from_batches(list(stream.batches)).to_pylist()
    match = [
        r
        for r in table
        if [r["sex"], r["unit"], r["geo"]] == key and r["time"] == periods[index]
    ]
    assert match == [
        {
            "sex": key[0],
            "unit": key[1],
            "geo": key[2],
            "time": periods[index],
            "value": int(number),
            "flags": flag,
        }
    ]


def _population_as_records(population_csv):
    header, body = _csv_rows(population_csv)
    return header, [[r[0]] + [float(v) for v in r[1:]] for r in body]


def test_xlsx_preview_matches_the_csv(population_csv, tmp_path):
    header, records = _population_as_records(population_csv)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "shares"
    sheet.append(header)
    for record in records:
        sheet.append(record)
    path = tmp_path / "population.xlsx"
    book.save(path)

    result = preview(path)
    expected = preview(population_csv)
    assert result["format"] == "xlsx"
    assert result["details"]["sheet"] == "shares"
    assert result["row_count"] == expected["row_count"]
    assert [c["name"] for c in result["columns"]] == header
    assert result["rows"] == records
    assert result["columns"][3]["stats"]["mean"] == pytest.approx(
        expected["columns"][3]["stats"]["mean"]
    )


def test_xlsx_formula_cells_are_flagged_and_kept_as_text(population_csv, tmp_path):
    header, records = _population_as_records(population_csv)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for record in records:
        sheet.append(record)
    sheet.append(["=SUM(B2:B3)"] + records[0][1:])
    path = tmp_path / "formula.xlsx"
    book.save(path)

    result = preview(path, max_rows=100)
    region = result["columns"][0]["stats"]
    assert region["formula_like"] == 1
    assert region["formula_examples"] == ["=SUM(B2:B3)"]
    assert result["rows"][-1][0] == "=SUM(B2:B3)"
    assert any("formulas" in w for w in result["warnings"])


def test_parquet_preview_matches_the_csv(population_csv, tmp_path):
    header, records = _population_as_records(population_csv)
    table = pa.Table.from_pylist([dict(zip(header, r)) for r in records])
    path = tmp_path / "population.parquet"
    pq.write_table(table, path, row_group_size=3)

    result = preview(path)
    assert result["format"] == "parquet"
    assert result["row_count"] == len(records)
    assert result["rows"] == records
    assert result["columns"] == preview(population_csv)["columns"]


def test_json_lines_preview_and_a_field_that_appears_late(population_csv, tmp_path):
    header, records = _population_as_records(population_csv)
    path = tmp_path / "population.jsonl"
    lines = [json.dumps(dict(zip(header, r))) for r in records]
    lines.append(json.dumps({"Region": "Antarctica", "source": "late field"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = preview(path)
    assert result["format"] == "jsonl"
    assert result["row_count"] == len(records) + 1
    assert [c["name"] for c in result["columns"]] == header + ["source"]
    assert result["rows"][0] == records[0] + [None]
    assert result["rows"][-1][0] == "Antarctica"
    assert result["columns"][-1]["stats"]["nulls"] == len(records)
