"""Analyses on real data; the pandas code each one yields gives the same result."""

import json
import re
import statistics
import subprocess
import sys

import pytest
from previews_charts.chart_data import YEARS, deaths_cells, population_rows

from cs4od_invenio.previews.engine import TabularError
from cs4od_invenio.previews.engine.analyses import check_analysis, run_analysis


def _run_code(code, path, tmp_path):
    script = tmp_path / "analysis.py"
    script.write_text(code, encoding="utf-8")
    output = subprocess.run(
        [sys.executable, str(script), str(path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return json.loads(output)


def _same(result, records):
    assert len(result["rows"]) == len(records)
    for row, record in zip(result["rows"], records):
        assert list(record) == result["columns"]
        for value, expected in zip(row, record.values()):
            if isinstance(value, (int, float)) and value is not True:
                assert value == pytest.approx(expected)
            else:
                assert value == expected


def test_group_by_with_filters_matches_its_pandas_code(deaths_tsv, tmp_path):
    spec = {
        "kind": "group_by",
        "by": ["geo"],
        "aggregations": [
            {"column": "value", "function": "sum"},
            {"column": "value", "function": "mean"},
            {"column": "value", "function": "count"},
            {"column": "value", "function": "max"},
        ],
        "filters": [
            {"column": "sex", "op": "==", "value": "T"},
            {"column": "time", "op": "startswith", "value": "2019"},
        ],
    }
    result = run_analysis(deaths_tsv, spec)
    assert result["columns"] == [
        "geo",
        "value_sum",
        "value_mean",
        "value_count",
        "value_max",
    ]
    assert len(result["rows"]) > 20
    _same(result, _run_code(result["code"], deaths_tsv, tmp_path))


@pytest.mark.parametrize("to", ["month", "year"])
def test_weekly_deaths_resampled_match_their_pandas_code(deaths_tsv, tmp_path, to):
    spec = {
        "kind": "resample",
        "time": "time",
        "to": to,
        "by": ["geo"],
        "aggregations": [{"column": "value", "function": "sum"}],
        "filters": [
            {"column": "sex", "op": "==", "value": "T"},
            {"column": "geo", "op": "in", "value": ["IT", "ES", "SE"]},
        ],
    }
    result = run_analysis(deaths_tsv, spec)
    periods = {row[1] for row in result["rows"]}
    assert "2020-03" in periods if to == "month" else "2020" in periods
    # months without any figure stay empty rather than 0 deaths
    assert all(row[2] is None or row[2] > 0 for row in result["rows"])
    # 2020W99 and the other W99 labels are no ISO week: left out and said so
    assert any("no ISO week" in note for note in result["notes"])
    _same(result, _run_code(result["code"], deaths_tsv, tmp_path))


def test_a_week_counts_in_the_month_of_its_thursday(deaths_tsv):
    spec = {
        "kind": "resample",
        "time": "time",
        "to": "month",
        "by": [],
        "aggregations": [{"column": "time", "function": "count"}],
        "filters": [
            {"column": "geo", "op": "==", "value": "SE"},
            {"column": "sex", "op": "==", "value": "T"},
            {"column": "time", "op": "startswith", "value": "2020"},
        ],
    }
    result = run_analysis(deaths_tsv, spec)
    weeks = dict(result["rows"])
    # 2020W01 starts on Monday 30 December 2019; its Thursday is 2 January 2020
    assert "2019-12" not in weeks
    assert sum(weeks.values()) == 50  # 2020W01..2020W50


def test_group_by_on_a_csv(population_csv, tmp_path):
    spec = {
        "kind": "group_by",
        "by": ["Region"],
        "aggregations": [{"column": "2050", "function": "mean"}],
        "filters": [{"column": "2050", "op": "<", "value": 50}],
    }
    result = run_analysis(population_csv, spec)
    assert "World" not in [row[0] for row in result["rows"]]
    _same(result, _run_code(result["code"], population_csv, tmp_path))


def test_unknown_column_is_named(population_csv):
    spec = {
        "kind": "group_by",
        "by": ["Country"],
        "aggregations": [{"column": "2050", "function": "sum"}],
    }
    with pytest.raises(TabularError, match="no column 'Country'"):
        run_analysis(population_csv, spec)


def test_descriptive_statistics_match_their_pandas_code(deaths_tsv, tmp_path):
    spec = {
        "kind": "describe",
        "columns": ["value"],
        "filters": [
            {"column": "geo", "op": "==", "value": "SE"},
            {"column": "sex", "op": "==", "value": "T"},
        ],
    }
    result = run_analysis(deaths_tsv, spec)
    assert result["columns"] == ["column", "count", "mean", "std", "min", "max"]
    [[name, count, mean, std, low, high]] = result["rows"]
    weekly = [c["value"] for c in deaths_cells()
              if c["geo"] == "SE" and c["sex"] == "T" and c["value"] is not None]
    assert (name, count, low, high) == ("value", len(weekly), min(weekly), max(weekly))
    assert mean == pytest.approx(statistics.mean(weekly))
    assert std == pytest.approx(statistics.stdev(weekly))
    _same(result, _run_code(result["code"], deaths_tsv, tmp_path))


def test_descriptive_statistics_of_a_csv_and_of_text(population_csv, tmp_path):
    result = run_analysis(population_csv, {"kind": "describe",
                                           "columns": ["1500", "2150"]})
    rows = population_rows()
    expected = [[year, len(rows), max(float(r[year]) for r in rows)]
                for year in ("1500", "2150")]
    assert [[r[0], r[1], r[5]] for r in result["rows"]] == expected
    _same(result, _run_code(result["code"], population_csv, tmp_path))
    with pytest.raises(TabularError, match="Column 'Region' holds text values"):
        run_analysis(population_csv, {"kind": "describe", "columns": ["Region"]})


@pytest.mark.parametrize(
    "spec, message",
    [
        ([], "An analysis spec is an object"),
        ({"kind": "pivot"}, "use group_by, resample or describe"),
        ({"kind": "group_by", "by": ["Region"], "sort": 1}, "Unknown field 'sort'"),
        ({"kind": "group_by", "by": ["Country"],
          "aggregations": [{"column": "2050", "function": "sum"}]},
         "by names 'Country', which is no column of this table; the columns are "
         "'Region', '1500'"),
        ({"kind": "group_by", "by": ["Region"],
          "aggregations": [{"column": "2050", "function": "median"}]},
         "Unknown function 'median'"),
        ({"kind": "group_by", "by": ["Region"], "aggregations": []},
         "at least one aggregation"),
        ({"kind": "resample", "time": "Region", "to": "week",
          "aggregations": [{"column": "2050", "function": "sum"}]},
         "'month' or 'year'"),
        ({"kind": "resample", "to": "month",
          "aggregations": [{"column": "2050", "function": "sum"}]},
         "needs a time column"),
        ({"kind": "describe", "columns": []}, "Choose the columns"),
        ({"kind": "describe", "columns": ["2050"],
          "filters": [{"column": "2050", "op": "~", "value": 1}]},
         "Unknown filter operator '~'"),
    ],
)
def test_bad_specs_are_refused_before_reading(population_csv, spec, message):
    columns = ["Region"] + YEARS
    with pytest.raises(TabularError, match=re.escape(message)):
        check_analysis(spec, columns)
