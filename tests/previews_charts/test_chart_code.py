"""The script saved with a chart redraws it with pandas and matplotlib, same numbers."""

import csv
import json
import subprocess
import sys

import pytest
from chart_data import YEARS

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
