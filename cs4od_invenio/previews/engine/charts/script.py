"""The pandas + matplotlib script that draws a chart from its file."""

from ..script_lines import filter_lines, read_lines
from .spec import MAX_SERIES, _label_type
from .vegalite import _y_title

# What pandas calls them as periods (a "W-SUN" period runs Monday to Sunday).
PANDAS_PERIODS = {
    "day": "D",
    "week": "W-SUN",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
}


def chart_code(name, spec, stream, reduced):
    """A pandas + matplotlib script that draws the chart from the file to a PNG.

    Everything that comes from the spec or the data is written as a Python literal
    (``repr``), never as code or comments.
    """
    lines = [
        '"""Draws a CS4OD chart with pandas and matplotlib.',
        "",
        "Usage: python chart.py [DATA_FILE] [OUTPUT_PNG] [DATA_JSON]",
        "Writes the chart to OUTPUT_PNG and, if given, its data to DATA_JSON.",
        '"""',
        "",
        "import sys",
        "",
        "import matplotlib",
        "",
        'matplotlib.use("Agg")',
        "import matplotlib.pyplot as plt  # noqa: E402",
        "import numpy as np  # noqa: E402",
        "import pandas as pd  # noqa: E402",
        "",
        "# Parameters",
        f"path = sys.argv[1] if len(sys.argv) > 1 else {name!r}",
        "output = sys.argv[2] if len(sys.argv) > 2 else 'chart.png'",
        "data_json = sys.argv[3] if len(sys.argv) > 3 else None",
        f"TITLE = {spec['title']!r}",
        f"X, Y, GROUP = {spec['x']!r}, {spec['y']!r}, {spec['group']!r}",
        "",
    ]
    lines += read_lines(stream)
    unpivot = spec["unpivot"]
    if unpivot:
        cols, key, value = unpivot["columns"], unpivot["key"], unpivot["value"]
        lines += [
            f"melted = {cols!r}",
            "ids = [c for c in df.columns if c not in melted]",
            f"df = df.melt(id_vars=ids, value_vars=melted, var_name={key!r}, "
            f"value_name={value!r})",
        ]
        if _label_type(cols) is not None:
            lines.append(f"df[{key!r}] = pd.to_numeric(df[{key!r}])")
    lines += filter_lines(spec["filters"])
    lines += [
        "",
        "frame = pd.DataFrame({'x': df[X]})",
        "if Y is not None:",
        "    frame['y'] = df[Y]",
        "if GROUP is not None:",
        "    frame['group'] = df[GROUP]",
        "keys = ['x'] + (['group'] if GROUP is not None else [])",
        "if pd.api.types.is_float_dtype(frame['x']):",
        "    frame = frame[np.isfinite(frame['x'])]",
    ]
    if spec["type"] == "histogram":
        lines += _histogram_code(spec)
    elif spec["aggregation"] is None:
        lines += ["data = frame.dropna()"]
        if spec["type"] == "line":
            lines.append("data = data.sort_values(keys, kind='stable')")
    else:
        lines += _aggregate_code(spec, reduced)
    lines += _plot_code(spec, dates=bool(reduced.get("dates")))
    lines += [
        "if data_json:",
        "    with open(data_json, 'w', encoding='utf-8') as handle:",
        "        handle.write(data.to_json(orient='records'))",
        "",
    ]
    return "\n".join(lines)


def _aggregate_code(spec, reduced):
    lines = ["frame = frame.dropna(subset=keys)"]
    width = reduced.get("width")
    if width:
        lines += [
            "frame = frame[np.isfinite(frame['x'])]",
            f"frame['x'] = np.floor(frame['x'] / {width!r}) * {width!r}",
        ]
    if "series" in reduced:
        lines += [
            "sizes = frame.groupby('group').size().reset_index(name='rows')",
            "sizes = sizes.sort_values(['rows', 'group'], ascending=[False, True])",
            f"frame = frame[frame['group'].isin(sizes['group'].head({MAX_SERIES}))]",
        ]
    dates = reduced.get("dates")
    if dates:
        period = PANDAS_PERIODS[dates["unit"]]
        lines += [
            f"# Dates grouped by {dates['unit']}: each period starts on its first day.",
            "frame['x'] = pd.to_datetime(frame['x'], format='ISO8601', utc=True)",
            "frame['x'] = frame['x'].dt.tz_localize(None)",
            f"frame['x'] = frame['x'].dt.to_period({period!r}).dt.start_time",
        ]
    if "x" in reduced:
        _, kept = reduced["x"]
        lines += [
            "sizes = frame.groupby('x').size().reset_index(name='rows')",
            "sizes = sizes.sort_values(['rows', 'x'], ascending=[False, True])",
            f"frame = frame[frame['x'].isin(sizes['x'].head({kept}))]",
        ]
    function = spec["aggregation"]
    if spec["y"] is None:
        lines.append("data = frame.groupby(keys).size().reset_index(name='y')")
    elif function == "sum":
        # A group without values sums to nothing, not to pandas' default 0.
        lines.append("data = frame.groupby(keys)['y'].sum(min_count=1).reset_index()")
    else:
        lines.append(f"data = frame.groupby(keys)['y'].agg({function!r}).reset_index()")
    if width:
        lines.append("data['x'] = data['x'].round(12)")
    if dates:
        lines.append("data['x'] = data['x'].dt.strftime('%Y-%m-%d')")
    return lines


def _histogram_code(spec):
    return [
        "frame = frame.dropna(subset=keys)",
        "frame = frame[np.isfinite(frame['x'].astype(float))]",
        "low, high = float(frame['x'].min()), float(frame['x'].max())",
        "if low == high:",
        "    low, high = low - 0.5, high + 0.5",
        f"edges = np.linspace(low, high, {spec['bins']!r} + 1)",
        "if GROUP is None:",
        "    parts = [(None, frame)]",
        "else:",
        "    sizes = frame.groupby('group').size().reset_index(name='rows')",
        "    sizes = sizes.sort_values(['rows', 'group'], ascending=[False, True])",
        f"    kept = sizes['group'].head({MAX_SERIES})",
        "    parts = [(g, frame[frame['group'] == g]) for g in kept]",
        "records = []",
        "for label, part in parts:",
        "    counts, _ = np.histogram(part['x'].astype(float), bins=edges)",
        "    for start, end, count in zip(edges[:-1], edges[1:], counts):",
        "        record = {'bin_start': start, 'bin_end': end, 'count': int(count)}",
        "        if GROUP is not None:",
        "            record['group'] = label",
        "        records.append(record)",
        "data = pd.DataFrame(records)",
    ]


def _plot_code(spec, dates=False):
    kind = spec["type"]
    lines = [
        "",
        "# Titles and labels are data: drawn as plain text, never as math markup.",
        "plt.rcParams['text.parse_math'] = False",
        "fig, ax = plt.subplots(figsize=(10, 5.6))",
        "series = [(None, data)] if GROUP is None else list(data.groupby('group'))",
    ]
    if kind == "histogram":
        lines += [
            "bottom = np.zeros(len(edges) - 1)",
            "for label, part in series:",
            "    counts = part['count'].to_numpy()",
            "    ax.bar(part['bin_start'], counts, width=np.diff(edges), "
            "bottom=bottom, align='edge', label=None if label is None else str(label))",
            "    bottom = bottom + counts",
            "ax.set_xlabel(X)",
            "ax.set_ylabel('count')",
        ]
    elif kind == "bar":
        lines += [
            "categories = list(dict.fromkeys(data['x']))",
            "position = {value: index for index, value in enumerate(categories)}",
            "step = 0.8 / len(series)",
            "for number, (label, part) in enumerate(series):",
            "    where = np.array([position[v] for v in part['x']]) + number * step",
            "    ax.bar(where - 0.4 + step / 2, part['y'], width=step, "
            "label=None if label is None else str(label))",
            "ax.set_xticks(range(len(categories)), [str(c) for c in categories], "
            "rotation=90 if len(categories) > 12 else 0)",
        ]
    else:
        # Periods are kept as ISO dates in the data; drawn on a time axis.
        x = "pd.to_datetime(part['x'])" if dates else "part['x']"
        draw = (
            f"ax.plot({x}, part['y'], marker='o'"
            if kind == "line"
            else (f"ax.scatter({x}, part['y'], s=12")
        )
        lines += [
            "for label, part in series:",
            f"    {draw}, label=None if label is None else str(label))",
        ]
    if kind != "histogram":
        lines += [
            "ax.set_xlabel(X)",
            f"ax.set_ylabel({_y_title(spec)!r})",
        ]
    lines += [
        "if GROUP is not None:",
        "    ax.legend(title=GROUP)",
        "ax.set_title(TITLE)",
        "fig.tight_layout()",
        "fig.savefig(output, dpi=100)",
        "",
    ]
    return lines
