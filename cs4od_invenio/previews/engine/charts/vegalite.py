"""The Vega-Lite spec of a chart, and drawing it on the server."""

import pyarrow as pa

from .frames import _is_number
from .spec import _error

VEGA_LITE = "5.21"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
WIDTH, HEIGHT = 640, 360


def _encoding_type(arrow_type):
    if arrow_type is not None and _is_number(arrow_type):
        return "quantitative"
    if arrow_type is not None and pa.types.is_temporal(arrow_type):
        return "temporal"
    return "nominal"


def vega_lite(spec, rows, x_type, width=None, period=None):
    """A Vega-Lite v5 spec drawing ``rows``, x encoded as ``x_type``, data inline.

    ``width`` is the interval of a numeric x grouped into intervals, ``period`` the
    calendar unit of a date x grouped into periods (both only name the axis).

    Data go under fixed field names (``x``, ``y``, ``group``) because Vega-Lite reads
    dots and brackets in field names as paths; the column names are only titles.
    """
    kind, group = spec["type"], spec["group"]
    if kind == "histogram":
        mark = {"type": "bar", "tooltip": True}
        encoding = {
            "x": {
                "field": "bin_start",
                "type": "quantitative",
                "bin": {"binned": True},
                "title": spec["x"],
            },
            "x2": {"field": "bin_end"},
            "y": {"field": "count", "type": "quantitative", "title": "count"},
        }
    else:
        if kind == "bar":
            x_type = "nominal" if x_type == "nominal" else "ordinal"
        elif kind == "line" and x_type == "nominal":
            x_type = "ordinal"
        x_title = spec["x"] + (f" (intervals of {width:g})" if width else "")
        x_title += f" (per {period})" if period else ""
        encoding = {
            "x": {"field": "x", "type": x_type, "title": x_title},
            "y": {"field": "y", "type": "quantitative", "title": _y_title(spec)},
        }
        if x_type in ("nominal", "ordinal"):
            encoding["x"]["sort"] = None
        mark = {
            "line": {"type": "line", "point": True, "tooltip": True},
            "bar": {"type": "bar", "tooltip": True},
            "scatter": {"type": "point", "tooltip": True},
        }[kind]
        if kind == "bar" and group:
            encoding["xOffset"] = {"field": "group", "type": "nominal"}
    if group:
        encoding["color"] = {"field": "group", "type": "nominal", "title": group}
    return {
        "$schema": SCHEMA,
        "title": spec["title"],
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": rows},
        "mark": mark,
        "encoding": encoding,
    }


def _y_title(spec):
    if spec["y"] is None:
        return "number of rows"
    if spec["aggregation"]:
        return f"{spec['aggregation']} of {spec['y']}"
    return spec["y"]


def render(vega_lite, format="svg", scale=1.0):
    """A Vega-Lite spec drawn on the server as SVG or PNG bytes (no browser)."""
    import vl_convert

    options = {"vl_version": VEGA_LITE, "allowed_base_urls": []}
    try:
        if format == "svg":
            return vl_convert.vegalite_to_svg(vega_lite, **options).encode("utf-8")
        if format == "png":
            return vl_convert.vegalite_to_png(vega_lite, scale=scale, **options)
    except ValueError as exc:
        reason = str(exc).splitlines()[1:2] or [str(exc)]
        raise _error(f"The chart could not be drawn: {reason[0].strip()}") from None
    raise _error(f"Charts are drawn as svg or png, not {format!r}.")
