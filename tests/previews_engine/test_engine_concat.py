"""Concatenation of real tables: Eurostat weekly deaths 2019 + 2020, and mismatches."""

import csv

import pytest

from cs4od_invenio.previews.engine import TabularError
from cs4od_invenio.previews.engine.concat import concatenate


def _read(path, delimiter=","):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    return rows[0], rows[1:]


def _year_file(deaths_tsv, folder, year):
    """The real Eurostat table cut to the weeks of one year, in the same format."""
    header, body = _read(deaths_tsv, delimiter="\t")
    keep = [0] + [i for i, h in enumerate(header) if h.strip().startswith(year)]
    path = folder / f"deaths_{year}.tsv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerows([[row[i] for i in keep] for row in [header] + body])
    return path, len(body), len(keep) - 1


def test_eurostat_2019_and_2020_weekly_deaths(deaths_tsv, tmp_path):
    first, keys, weeks_2019 = _year_file(deaths_tsv, tmp_path, "2019")
    second, _, weeks_2020 = _year_file(deaths_tsv, tmp_path, "2020")
    output = tmp_path / "deaths_2019_2020.csv"

    report = concatenate([first, second], output)

    columns = ["sex", "unit", "geo", "time", "value", "flags"]
    assert [c["name"] for c in report["columns"]] == columns
    assert report["common_columns"] == columns
    assert report["type_conflicts"] == []
    assert [i["rows"] for i in report["inputs"]] == [
        keys * weeks_2019,
        keys * weeks_2020,
    ]
    assert all(i["missing_columns"] == [] for i in report["inputs"])
    assert all(i["added_columns"] == [] for i in report["inputs"])

    header, rows = _read(output)
    assert header == columns
    assert len(rows) == report["rows"] == keys * (weeks_2019 + weeks_2020)
    assert {r[3][:4] for r in rows[: keys * weeks_2019]} == {"2019"}
    assert {r[3][:4] for r in rows[keys * weeks_2019 :]} == {"2020"}

    # a provisional 2020 figure keeps its number and flag
    wide_header, wide_body = _read(second, delimiter="\t")
    row = next(r for r in wide_body if any(c.strip().endswith(" p") for c in r[1:]))
    index = next(i for i, c in enumerate(row) if i and c.strip().endswith(" p"))
    number, flag = row[index].split()
    expected = row[0].split(",") + [wide_header[index].strip(), number, flag]
    assert expected in rows


def test_added_missing_columns_and_a_type_conflict(population_csv, tmp_path):
    header, body = _read(population_csv)
    other = tmp_path / "regions_2020.csv"
    with open(other, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header[:2] + ["source"])
        writer.writerow(["Antarctica", "unknown", "estimate"])
        writer.writerows([row[:2] + ["estimate"] for row in body])
    output = tmp_path / "both.csv"

    report = concatenate([population_csv, other], output)

    assert [c["name"] for c in report["columns"]] == header + ["source"]
    assert report["common_columns"] == header[:2]
    first, second = report["inputs"]
    assert first["missing_columns"] == ["source"]
    assert second["missing_columns"] == header[2:]
    assert second["added_columns"] == ["source"]
    assert report["type_conflicts"] == [
        {
            "column": header[1],
            "types": {population_csv.name: "number", other.name: "text"},
            "resolved_as": "text",
        }
    ]
    out_header, rows = _read(output)
    assert len(rows) == 2 * len(body) + 1
    assert rows[len(body)][:3] == ["Antarctica", "unknown", ""]
    assert [float(r[1]) for r in rows[: len(body)]] == [float(r[1]) for r in body]
    assert all(r[out_header.index("source")] == "" for r in rows[: len(body)])


def test_integers_and_numbers_meet_as_numbers(population_csv, tmp_path):
    header, body = _read(population_csv)
    ints = tmp_path / "ints.csv"
    with open(ints, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header[:2])
        writer.writerows([[row[0], int(float(row[1]))] for row in body])

    report = concatenate([population_csv, ints], tmp_path / "out.csv")
    assert report["type_conflicts"][0]["resolved_as"] == "number"
    assert report["columns"][1]["type"] == "number"


def test_tables_without_a_common_column_are_refused(
    population_csv, deaths_tsv, tmp_path
):
    with pytest.raises(TabularError) as error:
        concatenate([population_csv, deaths_tsv], tmp_path / "out.csv")
    message = error.value.message
    assert "share no column" in message
    assert "(eurostat): sex, unit, geo, time, value, flags" in message
    assert "(csv): Region, 1500" in message


def test_one_table_is_not_a_concatenation(population_csv, tmp_path):
    with pytest.raises(TabularError, match="at least two"):
        concatenate([population_csv], tmp_path / "out.csv")
