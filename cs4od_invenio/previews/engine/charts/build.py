"""Building a chart of a table file: the spec checked, the file streamed once (twice
for a histogram), what was reduced said in the notes."""

from pathlib import Path

from ..readers import open_table, read_table_stream
from .aggregation import _Aggregates, _plural, _raw_rows, _round, _Sample, _top_series
from .frames import _frame
from .histogram import _histogram
from .script import chart_code
from .spec import MAX_SERIES, check_spec
from .vegalite import _encoding_type, vega_lite


def build_chart(path, spec, max_points=5000, *, name=None, fmt=None):
    """A chart of a table file: ``{"vega_lite", "data", "notes", "code", "spec"}``.

    ``data`` holds the rows drawn (``x``, ``y``, ``group``; a histogram's rows are
    ``bin_start``, ``bin_end``, ``count``, ``group``), at most about ``max_points``
    of them; ``notes`` says when the data was reduced; ``code`` is a pandas +
    matplotlib script that draws the same chart from the file.
    """
    if not isinstance(max_points, int) or max_points < 1:
        raise ValueError("max_points is a positive whole number")
    head = open_table(path, name=name, fmt=fmt)
    head.batches.close()
    spec = check_spec(spec, head.column_names)
    name = name or Path(path).name
    notes, reduced = [], {}
    if spec["type"] == "histogram":
        stream, rows, limits, reduced = _histogram(path, spec, fmt, name)
        reduced["limits"] = limits
    else:
        mode = "raw" if spec["aggregation"] is None else "aggregate"

        def consume(stream):
            holder = (
                _Sample(max_points) if mode == "raw" else _Aggregates(spec, max_points)
            )
            dropped, x_type = 0, None
            for batch in stream.batches:
                frame, without = _frame(batch, spec, mode)
                dropped += without
                x_type = x_type or frame["x"].type
                holder.add(frame)
            return stream, holder, dropped, x_type

        stream, holder, dropped, x_type = read_table_stream(
            path, consume, fmt=fmt, name=name
        )
        if dropped:
            reduced["dropped"] = dropped
        if mode == "raw":
            rows = _raw_rows(holder, spec)
            if holder.seen > max_points:
                reduced["sample"] = (max_points, holder.seen)
            if spec["group"]:
                rows, series = _top_series(rows)
                if series:
                    reduced["series"] = series
        else:
            rows, more = holder.result()
            reduced |= more
            if holder.left_out:
                reduced["left_out"] = holder.left_out
    notes = _notes(spec, reduced, max_points) + list(stream.warnings)
    if spec["type"] == "histogram" or reduced.get("width"):
        x_type = "quantitative"
    else:
        x_type = _encoding_type(x_type)
    period = reduced.get("dates", {}).get("unit")
    return {
        "vega_lite": vega_lite(spec, rows, x_type, reduced.get("width"), period),
        "data": rows,
        "notes": notes,
        "code": chart_code(name, spec, stream, reduced),
        "spec": spec,
    }


def _notes(spec, reduced, max_points):
    notes = []
    if "dropped" in reduced:
        needed = ["x"] + (["y"] if spec["aggregation"] is None else [])
        needed = " or ".join(needed + (["group"] if spec["group"] else []))
        notes.append(
            f"{reduced['dropped']:,} rows without a value for {needed} were left out."
        )
    if "sample" in reduced:
        shown, seen = reduced["sample"]
        notes.append(f"A random sample of {shown:,} of the {seen:,} rows is shown.")
    if "width" in reduced:
        notes.append(
            f"x had more values than fit ({max_points:,} points at most): values are "
            f"grouped into intervals of {_round(reduced['width']):g}, each point at "
            "the start of its interval."
        )
    if "dates" in reduced:
        notes.append(_dates_note(reduced["dates"]))
    if "x" in reduced:
        total, kept = reduced["x"]
        notes.append(
            f"x has {'more than ' if 'left_out' in reduced else ''}{total:,} values; "
            f"the {kept:,} with the most rows are shown."
        )
    if "series" in reduced:
        notes.append(
            f"{spec['group']!r} has {reduced['series']:,} values; the {MAX_SERIES} "
            "with the most rows are shown."
        )
    if "left_out" in reduced:
        notes.append(
            f"{reduced['left_out']:,} rows whose x or group value came after the "
            "limit on distinct values were left out."
        )
    return notes


def _dates_note(dates):
    return (
        f"Dates grouped by {dates['unit']}: {dates['before']} → "
        f"{_plural(dates['periods'], dates['unit'])}, each point at the start of its "
        f"{dates['unit']}."
    )
