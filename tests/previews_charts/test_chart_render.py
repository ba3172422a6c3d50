"""Charts drawn on the server as SVG and PNG; data and titles stay text."""

import struct
import xml.etree.ElementTree as ET

import pytest
from chart_data import YEARS

from cs4od_invenio.previews.engine import TabularError, build_chart, render

SVG = "{http://www.w3.org/2000/svg}"
SPECS = {
    "line": {
        "type": "line",
        "x": "year",
        "y": "share",
        "group": "Region",
        "unpivot": {"columns": YEARS, "key": "year", "value": "share"},
    },
    "bar": {"type": "bar", "x": "Region", "y": "2050"},
    "grouped bar": {
        "type": "bar",
        "x": "year",
        "y": "share",
        "group": "Region",
        "unpivot": {"columns": YEARS[-3:], "key": "year", "value": "share"},
        "filters": [{"column": "Region", "op": "in", "value": ["Asia", "Europe"]}],
    },
    "scatter": {"type": "scatter", "x": "1900", "y": "2012"},
    "histogram": {"type": "histogram", "x": "1999", "bins": 5},
}


def _texts(svg):
    return [element.text for element in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_each_chart_type_renders_to_svg_and_png(population_csv, name):
    chart = build_chart(population_csv, SPECS[name])
    svg = render(chart["vega_lite"], "svg")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert int(root.get("width")) > 300 and int(root.get("height")) > 200
    marks = [e for e in root.iter(f"{SVG}path")] + list(root.iter(f"{SVG}rect"))
    assert len(marks) > 3
    png = render(chart["vega_lite"], "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width > 300 and height > 200


def test_region_names_and_title_appear_as_text(population_csv):
    chart = build_chart(population_csv, {**SPECS["bar"], "title": "Shares in 2050"})
    texts = _texts(render(chart["vega_lite"]))
    assert "Shares in 2050" in texts
    assert "Oceania" in texts and "Latin America and the Caribbean" in texts


def test_markup_in_cells_and_titles_stays_text(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(
        'name,count\n"<script>alert(1)</script>",3\n'
        '"<img src=x onerror=alert(2)>",5\nplain,1\n',
        encoding="utf-8",
    )
    title = "</text><script>alert(3)</script>"
    chart = build_chart(
        path, {"type": "bar", "x": "name", "y": "count", "title": title}
    )
    svg = render(chart["vega_lite"]).decode("utf-8")
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag in (f"{SVG}script", f"{SVG}img")]
    texts = _texts(svg)
    assert "<script>alert(1)</script>" in texts
    assert "<img src=x onerror=alert(2)>" in texts
    assert title in texts


def test_invalid_specs_and_formats_are_refused():
    with pytest.raises(TabularError, match="could not be drawn") as caught:
        render({"mark": "bar", "encoding": {"x": {"field": "a", "type": "wrong"}}})
    assert caught.value.code == "chart"
    with pytest.raises(TabularError, match="svg or png"):
        render({"mark": "bar", "data": {"values": []}}, "gif")


def test_rendering_fetches_no_data_from_elsewhere():
    spec = {
        "data": {"url": "http://127.0.0.1:9/secret.csv"},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "nominal"}},
    }
    with pytest.raises(TabularError, match="not allowed"):
        render(spec)


def test_dates_make_a_time_axis(tmp_path):
    path = tmp_path / "daily.csv"
    lines = ["day,cases"] + [
        f"2020-{m:02d}-{d:02d},{m * d}" for m in (1, 2) for d in (1, 15)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    chart = build_chart(path, {"type": "line", "x": "day", "y": "cases"})
    assert chart["vega_lite"]["encoding"]["x"]["type"] == "temporal"
    assert [row["x"] for row in chart["data"]] == [
        "2020-01-01",
        "2020-01-15",
        "2020-02-01",
        "2020-02-15",
    ]
    texts = _texts(render(chart["vega_lite"]))
    assert "February" in texts or "Feb 01" in texts
