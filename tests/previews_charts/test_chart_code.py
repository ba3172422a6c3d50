"""The script saved with a chart redraws it with pandas and matplotlib, same numbers."""

import csv
import datetime
import json
import subprocess
import sys

import pytest
from chart_data import YEARS, deaths_cells, period_start, week_start

from cs4od_invenio.previews.engine import build_chart

PNG = b"\x89PNG\r\n\x1a\n"
DEATHS_2019 = [
    {"column": "sex", "op": "==", "value": "T"},
    {"column": "time", "op": ">=", "value": "2019W01"},
    {"column": "time", "op": "<=", "value": "2019W53"},
]


def _run(chart, data, tmp_path):
    """Run the chart's script on ``data``; its PNG and its data as JSON records."""
    script = tmp_path / "chart.py"
    script.write_text(chart["code"], encoding="utf-8")
    output, records = tmp_path / "chart.png", tmp_path / "data.json"
    subprocess.run(
        [sys.executable, str(script), str(data), str(output), str(records)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        timeout=300,
    )
    return output.read_bytes(), json.loads(records.read_text(encoding="utf-8"))


def _key(row):
    return tuple(str(row.get(k)) for k in ("group", "x", "bin_start"))


def _same_numbers(engine, script):
    assert len(engine) == len(script)
    for mine, theirs in zip(sorted(engine, key=_key), sorted(script, key=_key)):
        assert set(mine) == set(theirs)
        for name, value in mine.items():
            if isinstance(value, float) or isinstance(theirs[name], float):
                assert theirs[name] == pytest.approx(value, rel=1e-9)
            else:
                assert theirs[name] == value


CASES = {
    "population line": (
        "population",
        {
            "type": "line",
            "x": "year",
            "y": "share",
            "group": "Region",
            "unpivot": {"columns": YEARS, "key": "year", "value": "share"},
            "filters": [{"column": "Region", "op": "!=", "value": "World"}],
        },
    ),
    "deaths by country": (
        "deaths",
        {
            "type": "bar",
            "x": "geo",
            "y": "value",
            "aggregation": "sum",
            "filters": DEATHS_2019,
        },
    ),
    "mean deaths per week, 20 of 37 countries": (
        "deaths",
        {
            "type": "line",
            "x": "time",
            "y": "value",
            "group": "geo",
            "aggregation": "mean",
            "filters": [{"column": "time", "op": "startswith", "value": "2020"}],
        },
    ),
    "histogram per sex": (
        "deaths",
        {
            "type": "histogram",
            "x": "value",
            "group": "sex",
            "bins": 40,
            "filters": [{"column": "geo", "op": "in", "value": ["FR", "DE", "IT"]}],
        },
    ),
    "weeks counted": ("deaths", {"type": "bar", "x": "geo", "group": "sex"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_script_draws_the_same_chart(population_csv, deaths_tsv, tmp_path, case):
    which, spec = CASES[case]
    data = population_csv if which == "population" else deaths_tsv
    chart = build_chart(data, spec)
    png, records = _run(chart, data, tmp_path)
    assert png.startswith(PNG)
    _same_numbers(chart["data"], records)


def test_script_reduces_large_tables_the_same_way(tmp_path):
    path = tmp_path / "readings.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["time", "reading", "station"])
        for i in range(60_000):
            out.writerow([i * 0.013, (i * 7) % 101, f"station-{i % 4000:04d}"])
    binned = build_chart(
        path,
        {"type": "line", "x": "time", "y": "reading", "aggregation": "max"},
        max_points=400,
    )
    assert any("intervals" in note for note in binned["notes"])
    png, records = _run(binned, path, tmp_path)
    assert png.startswith(PNG)
    _same_numbers(binned["data"], records)
    top = build_chart(path, {"type": "bar", "x": "station"}, max_points=500)
    assert len(top["data"]) == 500 and top["notes"]
    _, records = _run(top, path, tmp_path)
    _same_numbers(top["data"], records)


def test_titles_and_names_from_the_data_never_run_as_code(tmp_path):
    path = tmp_path / "odd.csv"
    column = 'it\'s "x"\\'
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow([column, "n"])
        out.writerows([["$ 5 and $x^2", 1], ["'''; import os", 2], ["\\n", 3]])
    title = '"""\nimport pathlib; pathlib.Path("PWNED").write_text("x")\n# $'
    spec = {
        "type": "bar",
        "x": column,
        "y": "n",
        "title": title,
        "filters": [{"column": column, "op": "!=", "value": "')\nimport os\n('"}],
    }
    chart = build_chart(path, spec)
    assert str(tmp_path) not in chart["code"]
    png, records = _run(chart, path, tmp_path)
    assert png.startswith(PNG)
    assert not (tmp_path / "PWNED").exists()
    assert [r["x"] for r in records] == [r["x"] for r in chart["data"]]
    assert len(records) == 3


def _dated_deaths(path):
    """The real Eurostat deaths, one row per country, sex and week, dated by the
    week's Monday (labels that are no ISO week are left out); their sums per month."""
    sums, days = {}, set()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["week_start", "sex", "geo", "deaths"])
        for cell in deaths_cells():
            day = week_start(cell["time"])
            if day is None or cell["value"] is None:
                continue
            out.writerow([day.isoformat(), cell["sex"], cell["geo"], cell["value"]])
            days.add(day)
            key = (cell["sex"], period_start(day, "month").isoformat())
            sums[key] = sums.get(key, 0) + cell["value"]
    return sums, days


def test_script_groups_a_long_date_axis_by_the_same_months(tmp_path):
    path = tmp_path / "deaths_by_date.csv"
    sums, days = _dated_deaths(path)
    months = {period_start(day, "month") for day in days}
    assert (len(days), len(months)) == (1093, 252)
    spec = {"type": "line", "x": "week_start", "y": "deaths", "group": "sex",
            "aggregation": "sum"}
    chart = build_chart(path, spec, max_points=1500)
    # 1,093 Mondays from 2000 to 2020 are too many for 500 points a series; 252 months fit.
    assert chart["notes"] == [
        "Dates grouped by month: 1,093 days → 252 months, each point at the start of "
        "its month."
    ]
    drawn = {(row["group"], row["x"]): row["y"] for row in chart["data"]}
    assert drawn == pytest.approx(sums)
    assert chart["vega_lite"]["encoding"]["x"] == {
        "field": "x", "type": "temporal", "title": "week_start (per month)"}
    png, records = _run(chart, path, tmp_path)
    assert png.startswith(PNG)
    _same_numbers(chart["data"], records)


def test_script_groups_many_timestamps_by_the_same_periods(tmp_path):
    """60,000 hourly readings: more distinct times than are held while streaming
    (kept per day from then on), drawn per month; the script agrees."""
    path = tmp_path / "hourly.csv"
    start = datetime.datetime(2013, 5, 17, 6)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["time", "reading", "station"])
        for i in range(60_000):
            stamp = start + datetime.timedelta(hours=i)
            out.writerow([stamp.isoformat(sep=" "), (i * 7) % 101, "ab"[i % 2]])
    spec = {"type": "line", "x": "time", "y": "reading", "group": "station",
            "aggregation": "mean"}
    chart = build_chart(path, spec, max_points=400)
    [note] = chart["notes"]
    assert note.startswith("Dates grouped by month: at least ")
    assert note.endswith(" distinct times → 83 months, each point at the start of its "
                         "month.")
    assert len(chart["data"]) == 2 * 83
    _, records = _run(chart, path, tmp_path)
    _same_numbers(chart["data"], records)
    weekly = build_chart(path, {"type": "bar", "x": "time", "aggregation": "count"},
                         max_points=400)
    assert weekly["notes"][0].startswith("Dates grouped by week: ")
    assert sum(row["y"] for row in weekly["data"]) == 60_000
    _, records = _run(weekly, path, tmp_path)
    _same_numbers(weekly["data"], records)


def test_times_with_offsets_fall_into_their_utc_periods(tmp_path):
    path = tmp_path / "offsets.csv"
    path.write_text("time,v\n2020-01-01T00:30:00+02:00,1\n2020-01-01T23:30:00-02:00,2\n"
                    "2020-03-01T00:30:00+00:00,4\n", encoding="utf-8")
    chart = build_chart(path, {"type": "bar", "x": "time", "y": "v",
                               "aggregation": "sum"}, max_points=2)
    # 22:30 UTC on 31 December 2019 (a Tuesday) and 01:30 UTC on 2 January 2020
    assert chart["data"] == [{"x": "2019-12-30", "y": 3}, {"x": "2020-02-24", "y": 4}]
    _, records = _run(chart, path, tmp_path)
    _same_numbers(chart["data"], records)
