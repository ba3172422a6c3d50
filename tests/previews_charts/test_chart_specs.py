"""Charts built from specs on real data; expected values computed from the files."""

from collections import Counter, defaultdict

import numpy as np
import pytest
from chart_data import YEARS, deaths_cells, population_rows

from cs4od_invenio.previews.engine import TabularError, build_chart

SHARES = {"columns": YEARS, "key": "year", "value": "share"}


def test_line_of_population_share_by_region_over_years(population_csv):
    spec = {
        "type": "line",
        "x": "year",
        "y": "share",
        "group": "Region",
        "unpivot": SHARES,
        "filters": [{"column": "Region", "op": "!=", "value": "World"}],
        "title": "Share of the world population",
    }
    chart = build_chart(population_csv, spec)
    expected = {
        (int(year), row["Region"]): float(row[year])
        for row in population_rows()
        if row["Region"] != "World"
        for year in YEARS
    }
    drawn = {(row["x"], row["group"]): row["y"] for row in chart["data"]}
    assert drawn == expected
    # a line runs from left to right: points come sorted by year
    assert [row["x"] for row in chart["data"]] == sorted(r["x"] for r in chart["data"])
    vega = chart["vega_lite"]
    assert vega["$schema"].endswith("/v5.json")
    assert vega["mark"]["type"] == "line"
    assert vega["encoding"]["x"]["type"] == "quantitative"
    assert vega["encoding"]["color"]["title"] == "Region"
    assert vega["title"] == "Share of the world population"
    assert vega["data"]["values"] == chart["data"]
    assert chart["notes"] == []


def test_bar_of_deaths_summed_by_country_for_2019(deaths_tsv):
    spec = {
        "type": "bar",
        "x": "geo",
        "y": "value",
        "aggregation": "sum",
        "filters": [
            {"column": "sex", "op": "==", "value": "T"},
            {"column": "time", "op": ">=", "value": "2019W01"},
            {"column": "time", "op": "<=", "value": "2019W53"},
        ],
    }
    chart = build_chart(deaths_tsv, spec)
    totals, seen = defaultdict(float), set()
    for cell in deaths_cells():
        if cell["sex"] == "T" and cell["time"].startswith("2019W"):
            if cell["time"] != "2019W99":
                seen.add(cell["geo"])
                if cell["value"] is not None:
                    totals[cell["geo"]] += cell["value"]
    drawn = {row["x"]: row["y"] for row in chart["data"]}
    assert set(drawn) == seen
    for geo in seen:
        if geo in totals:
            assert drawn[geo] == pytest.approx(totals[geo])
        else:
            assert drawn[geo] is None  # no figure at all is not 0 deaths
    assert drawn["DE"] > 900_000
    assert chart["vega_lite"]["mark"]["type"] == "bar"
    assert chart["vega_lite"]["encoding"]["y"]["title"] == "sum of value"


def test_mean_min_max_and_count_per_group(deaths_tsv):
    base = {
        "type": "bar",
        "x": "geo",
        "group": "sex",
        "y": "value",
        "filters": [{"column": "geo", "op": "in", "value": ["SE", "NO"]}],
    }
    values = defaultdict(list)
    for cell in deaths_cells():
        if cell["geo"] in ("SE", "NO") and cell["value"] is not None:
            values[cell["geo"], cell["sex"]].append(cell["value"])
    reducers = {"mean": np.mean, "min": min, "max": max, "count": len}
    for name, reduce in reducers.items():
        chart = build_chart(deaths_tsv, {**base, "aggregation": name})
        drawn = {(row["x"], row["group"]): row["y"] for row in chart["data"]}
        assert drawn == pytest.approx({k: reduce(v) for k, v in values.items()})


def test_rows_counted_when_there_is_no_y(population_csv):
    chart = build_chart(
        population_csv,
        {"type": "bar", "x": "share", "unpivot": SHARES, "filters": []},
    )
    counts = Counter(float(row[y]) for row in population_rows() for y in YEARS)
    assert {row["x"]: row["y"] for row in chart["data"]} == counts
    assert chart["vega_lite"]["encoding"]["y"]["title"] == "number of rows"


def test_histogram_of_weekly_deaths(deaths_tsv):
    spec = {
        "type": "histogram",
        "x": "value",
        "bins": 25,
        "filters": [{"column": "sex", "op": "==", "value": "T"}],
    }
    chart = build_chart(deaths_tsv, spec)
    values = [
        c["value"] for c in deaths_cells() if c["sex"] == "T" and c["value"] is not None
    ]
    counts, edges = np.histogram(values, bins=25)
    assert [row["count"] for row in chart["data"]] == counts.tolist()
    assert [row["bin_start"] for row in chart["data"]] == pytest.approx(edges[:-1])
    assert chart["data"][-1]["bin_end"] == pytest.approx(max(values))
    empty = sum(1 for c in deaths_cells() if c["sex"] == "T" and c["value"] is None)
    assert chart["notes"] == [f"{empty:,} rows without a value for x were left out."]
    encoding = chart["vega_lite"]["encoding"]
    assert encoding["x"]["bin"] == {"binned": True}
    assert encoding["x2"] == {"field": "bin_end"}


def test_scatter_of_two_years(population_csv):
    spec = {"type": "scatter", "x": "1950", "y": "2050", "group": "Region"}
    chart = build_chart(population_csv, spec)
    expected = {
        (float(r["1950"]), float(r["2050"]), r["Region"]) for r in population_rows()
    }
    assert {(r["x"], r["y"], r["group"]) for r in chart["data"]} == expected
    assert chart["vega_lite"]["mark"]["type"] == "point"


def test_more_series_than_fit_keep_those_with_most_rows(deaths_tsv):
    spec = {
        "type": "line",
        "x": "time",
        "y": "value",
        "group": "geo",
        "aggregation": "sum",
        "filters": [{"column": "sex", "op": "==", "value": "T"}],
    }
    chart = build_chart(deaths_tsv, spec)
    rows = Counter(c["geo"] for c in deaths_cells() if c["sex"] == "T")
    ranked = sorted(rows, key=lambda geo: (-rows[geo], geo))
    assert {row["group"] for row in chart["data"]} == set(ranked[:20])
    assert f"'geo' has {len(rows)} values; the 20 with the most rows are shown." in (
        chart["notes"]
    )


# Bad specs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, words",
    [
        (
            {"type": "line", "x": "Year", "y": "2050"},
            ["'Year'", "no column", "'Region', '1500', '1600'"],
        ),
        ({"type": "bar", "x": "Region", "aggregation": "sum"}, ["'sum'", "y column"]),
        ({"type": "pie", "x": "Region"}, ["'pie'", "line, bar, scatter, histogram"]),
        ({"type": "bar", "x": "Region", "colour": "x"}, ["'colour'"]),
        ({"type": "histogram", "x": "2050", "bins": 0}, ["bins", "1 to 200"]),
        ({"type": "histogram", "x": "2050", "y": "1500"}, ["takes no y"]),
        ({"type": "bar", "x": "Region", "bins": 5}, ["only for histograms"]),
        ({"type": "scatter", "x": "2050"}, ["needs a y column", "'Region'"]),
        (
            {
                "type": "bar",
                "x": "Region",
                "filters": [{"column": "Region", "op": "~", "value": "A"}],
            },
            ["'~'"],
        ),
        (
            {
                "type": "bar",
                "x": "Region",
                "filters": [{"column": "region", "op": "==", "value": "A"}],
            },
            ["'region'", "'Region'"],
        ),
        (
            {"type": "line", "x": "year", "unpivot": {**SHARES, "columns": ["3000"]}},
            ["'3000'", "'2150'"],
        ),
        ({"type": "bar", "x": "Region", "title": 5}, ["title"]),
    ],
)
def test_bad_specs_say_what_is_wrong(population_csv, spec, words):
    with pytest.raises(TabularError) as caught:
        build_chart(population_csv, spec)
    assert caught.value.code == "chart"
    for word in words:
        assert word in caught.value.message


def test_histogram_of_a_text_column_is_refused(population_csv):
    with pytest.raises(TabularError, match="histogram needs numbers") as caught:
        build_chart(population_csv, {"type": "histogram", "x": "Region"})
    assert caught.value.column == "Region"


def test_a_filter_that_cannot_compare_is_a_clear_error(population_csv):
    spec = {
        "type": "bar",
        "x": "Region",
        "y": "2050",
        "filters": [{"column": "2050", "op": ">", "value": "many"}],
    }
    with pytest.raises(TabularError, match="filter on '2050'") as caught:
        build_chart(population_csv, spec)
    assert caught.value.code == "chart"


def test_text_on_the_y_axis_is_refused(deaths_tsv):
    spec = {"type": "bar", "x": "geo", "y": "flags", "aggregation": "sum"}
    with pytest.raises(TabularError, match="y axis needs numbers"):
        build_chart(deaths_tsv, spec)
