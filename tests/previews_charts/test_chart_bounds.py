"""Charts of tables with more values than a chart can show stay within max_points."""

import csv
import datetime
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from chart_data import period_start
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cs4od_invenio.previews.engine import build_chart
from cs4od_invenio.previews.engine.charts import DATE_UNITS

ROWS = 100_000


@pytest.fixture
def wide_csv(tmp_path):
    """100,000 rows: a distinct x each, a y, a kind and a label repeated by some."""
    path = tmp_path / "measures.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["x", "y", "kind", "label"])
        for i in range(ROWS):
            # every 50th row belongs to one of four frequent labels
            label = f"frequent-{i // 50 % 4}" if i % 50 == 0 else f"id-{i}"
            out.writerow([i * 0.37 - 5000, i % 10, "abc"[i % 3], label])
    return path


def test_a_numeric_x_is_grouped_into_intervals(wide_csv):
    spec = {"type": "line", "x": "x", "y": "y", "aggregation": "sum"}
    chart = build_chart(wide_csv, spec, max_points=500)
    assert 50 <= len(chart["data"]) <= 500
    assert any("grouped into intervals" in note for note in chart["notes"])
    # nothing is lost by grouping: the sums add up to the file's total
    assert sum(row["y"] for row in chart["data"]) == sum(i % 10 for i in range(ROWS))
    xs = [row["x"] for row in chart["data"]]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert xs[0] <= -5000 < xs[1]
    assert "intervals of" in chart["vega_lite"]["encoding"]["x"]["title"]


def test_intervals_with_groups_count_all_series(wide_csv):
    spec = {"type": "line", "x": "x", "y": "y", "group": "kind", "aggregation": "count"}
    chart = build_chart(wide_csv, spec, max_points=300)
    assert len(chart["data"]) <= 300
    counts = Counter()
    for row in chart["data"]:
        counts[row["group"]] += row["y"]
    assert counts == {"a": 33_334, "b": 33_333, "c": 33_333}


def test_text_categories_keep_those_with_most_rows(wide_csv):
    chart = build_chart(wide_csv, {"type": "bar", "x": "label"}, max_points=1000)
    assert len(chart["data"]) == 1000
    drawn = {row["x"]: row["y"] for row in chart["data"]}
    # 2,000 rows carry a frequent label, 500 each
    assert {f"frequent-{k}": 500 for k in range(4)}.items() <= drawn.items()
    assert any("the 1,000 with the most rows are shown" in n for n in chart["notes"])


def test_raw_points_are_a_sample_of_real_rows(wide_csv):
    spec = {"type": "scatter", "x": "x", "y": "y"}
    chart = build_chart(wide_csv, spec, max_points=2000)
    assert len(chart["data"]) == 2000
    assert chart["notes"] == ["A random sample of 2,000 of the 100,000 rows is shown."]
    for row in chart["data"]:
        i = round((row["x"] + 5000) / 0.37)
        assert row["y"] == i % 10
    # spread over the whole file, not its first rows
    assert max(row["x"] for row in chart["data"]) > 0.9 * (ROWS * 0.37 - 5000)


def test_small_tables_are_not_reduced(wide_csv):
    spec = {
        "type": "bar",
        "x": "kind",
        "y": "y",
        "aggregation": "max",
        "filters": [{"column": "x", "op": "<", "value": 0}],
    }
    chart = build_chart(wide_csv, spec, max_points=3)
    assert chart["data"] == [
        {"x": "a", "y": 9},
        {"x": "b", "y": 9},
        {"x": "c", "y": 9},
    ]
    assert chart["notes"] == []


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.dates(min_value=datetime.date(1900, 1, 1),
                   max_value=datetime.date(2100, 1, 1)),
    rows=st.lists(st.tuples(st.integers(0, 20_000), st.integers(-50, 50)),
                  min_size=1, max_size=300),
    max_points=st.integers(2, 80),
)
def test_dates_are_grouped_by_the_finest_period_that_fits(start, rows, max_points):
    readings = [(start + datetime.timedelta(days=offset), y) for offset, y in rows]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "daily.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(["day", "y"])
            out.writerows((day.isoformat(), y) for day, y in readings)
        chart = build_chart(path, {"type": "line", "x": "day", "y": "y",
                                   "aggregation": "sum"}, max_points=max_points)
    days = {day for day, _ in readings}
    unit = None
    if len(days) > max_points:
        unit = next(
            (u for u in DATE_UNITS
             if len({period_start(d, u) for d in days}) <= max_points), "year")
    expected = Counter()
    for day, y in readings:
        expected[period_start(day, unit or "day").isoformat()] += y
    assert {row["x"]: row["y"] for row in chart["data"]} == expected
    assert [row["x"] for row in chart["data"]] == sorted(expected)
    if unit is None:
        assert chart["notes"] == []
    else:
        assert chart["notes"] == [
            f"Dates grouped by {unit}: {len(days):,} days → {len(expected):,} {unit}"
            f"{'s' if len(expected) > 1 else ''}, each point at the start of its {unit}."]


def test_twenty_years_of_two_daily_series_are_drawn_per_month(tmp_path):
    """Held per month while streaming (7,305 days are more than are kept per date),
    drawn per month: nothing lost, every day counted."""
    path = tmp_path / "daily.csv"
    first = datetime.date(2000, 1, 1)
    expected = Counter()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["day", "value", "station"])
        for i in range(7305):
            day = first + datetime.timedelta(days=i)
            for station in "AB":
                out.writerow([day.isoformat(), i % 17, station])
                expected[(station, day.replace(day=1).isoformat())] += i % 17
    spec = {"type": "line", "x": "day", "y": "value", "group": "station",
            "aggregation": "sum"}
    chart = build_chart(path, spec, max_points=600)
    assert chart["notes"] == ["Dates grouped by month: 7,305 days → 240 months, each "
                              "point at the start of its month."]
    assert {(r["group"], r["x"]): r["y"] for r in chart["data"]} == expected
    assert chart["vega_lite"]["encoding"]["x"]["title"] == "day (per month)"
