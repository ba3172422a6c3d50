"""Analyses of a table (group-by, time resampling, descriptive statistics) with pandas
code that redoes them.

Each analysis streams the file once, aggregating batch by batch (memory grows with the
number of groups, not with the file), and returns its result together with a small
pandas script that reproduces it, so that a user can take the analysis elsewhere.
"""

import datetime
import re

import pyarrow as pa
import pyarrow.compute as pc

from .errors import TabularError
from .readers import read_table_stream
from .script_lines import filter_lines, read_lines
from .specs import check_fields, column_list
from .stats import NumberStats, type_label
from .values import jsonable

FUNCTIONS = ("sum", "mean", "count", "min", "max")
OPERATORS = {
    "==": pc.equal,
    "!=": pc.not_equal,
    "<": pc.less,
    "<=": pc.less_equal,
    ">": pc.greater,
    ">=": pc.greater_equal,
}
WEEK_LABEL = re.compile(r"^(\d{4})-?W(\d{2})$")
PERIODS = ("month", "year")
KINDS = ("group_by", "resample", "describe")
FIELDS = ("kind", "by", "aggregations", "filters", "time", "to", "columns")
STATISTICS = ("count", "mean", "std", "min", "max")


def run_analysis(path, spec, *, fmt=None):
    """Run an analysis spec on a table file.

    ``spec`` is plain data: ``{"kind": "group_by", "by": [...], "aggregations":
    [{"column", "function"}], "filters": [{"column", "op", "value"}]}`` or ``{"kind":
    "resample", "time": column, "to": "month"|"year", "by": [...], "aggregations":
    [...], "filters": [...]}``; time columns hold dates or ISO week labels such as
    Eurostat's ``2020W05`` (a week belongs to the month of its Thursday; labels that
    are no ISO week, like ``2020W99``, are left out and counted); or ``{"kind":
    "describe", "columns": [...], "filters": [...]}``: count, mean, standard deviation,
    minimum and maximum of numeric columns. Returns ``{"columns", "rows", "code",
    "notes"}``.
    """
    spec = check_analysis(spec)
    if spec["kind"] == "describe":
        return _describe(path, spec, fmt)
    notes = []

    def consume(stream):
        notes.clear()
        partials = []
        for batch in stream.batches:
            table = _filtered(pa.Table.from_batches([batch]), spec["filters"])
            if spec["kind"] == "resample":
                table = _with_period(table, spec, notes)
            if table.num_rows:
                partials.append(_partial(table, spec))
            if len(partials) > 64:
                partials = [_combine(partials, spec, final=False)]
        return stream, partials

    stream, partials = read_table_stream(path, consume, fmt=fmt)
    keys = _keys(spec)
    if partials:
        result = _combine(partials, spec, final=True)
    else:
        result = pa.table({k: pa.array([], pa.string()) for k in keys + _outputs(spec)})
    result = result.sort_by([(k, "ascending") for k in keys])
    skipped = sum(n for n in notes if isinstance(n, int))
    text_notes = [n for n in notes if isinstance(n, str)]
    if skipped:
        text_notes.append(
            f"{skipped} rows with a time label that is no ISO week were left out."
        )
    return {
        "columns": result.column_names,
        "rows": [[jsonable(v) for v in row.values()] for row in result.to_pylist()],
        "code": pandas_code(path, spec, stream),
        "notes": text_notes,
    }


def check_analysis(spec, columns=None):
    """The analysis spec checked (against the column names, when known), normalised.

    Raises ``TabularError`` with a message that names the field and, for a column that
    is not there, the columns there are.
    """
    check_fields(
        spec,
        FIELDS,
        shape="An analysis spec is an object with a kind and its fields.",
        where="the analysis",
    )
    kind = spec.get("kind")
    if kind not in KINDS:
        raise TabularError(
            f"Unknown analysis {kind!r}: use group_by, resample or describe."
        )
    names = [str(c) for c in columns] if columns is not None else None
    by = _names_of(spec.get("by"), "by", names)
    filters = [_checked_filter(item, names) for item in _listed(spec, "filters")]
    checked = {"kind": kind, "by": by, "filters": filters}
    if kind == "describe":
        if by:
            raise TabularError("Descriptive statistics take no 'by' columns.")
        chosen = _names_of(spec.get("columns"), "columns", names)
        if not chosen:
            raise TabularError("Choose the columns to describe.")
        return checked | {"columns": chosen}
    aggregations = _listed(spec, "aggregations")
    if not aggregations:
        raise TabularError("An analysis needs at least one aggregation.")
    for item in aggregations:
        if not isinstance(item, dict) or item.get("function") not in FUNCTIONS:
            function = item.get("function") if isinstance(item, dict) else item
            raise TabularError(
                f"Unknown function {function!r}; use one of {', '.join(FUNCTIONS)}."
            )
        _names_of([item.get("column")], "An aggregation", names)
    checked["aggregations"] = [
        {"column": a["column"], "function": a["function"]} for a in aggregations
    ]
    checked["time"], checked["to"] = spec.get("time"), spec.get("to")
    if kind == "resample":
        if not checked["time"]:
            raise TabularError("Resampling needs a time column.")
        _names_of([checked["time"]], "time", names)
        if checked["time"] in by:
            raise TabularError("The time column cannot also be a 'by' column.")
        if checked["to"] not in PERIODS:
            raise TabularError("Resampling goes to 'month' or 'year'.")
    return checked


def _listed(spec, field):
    value = spec.get(field) or []
    if not isinstance(value, list):
        raise TabularError(f"{field} is a list.")
    return value


def _names_of(value, field, names):
    """A list of column names, each checked against ``names`` when known."""
    value = value or []
    if not isinstance(value, list):
        raise TabularError(f"{field} is a list of column names.")
    for name in value:
        if not isinstance(name, str) or not name:
            raise TabularError(f"{field} names {name!r}, which is no column name.")
        if names is not None and name not in names:
            raise TabularError(
                f"{field} names {name!r}, which is no column of this table; the "
                f"columns are {column_list(names)}.",
                column=name,
            )
    return list(value)


def _checked_filter(item, names):
    if not isinstance(item, dict) or set(item) - {"column", "op", "value"}:
        raise TabularError('A filter is {"column": name, "op": "==", "value": ...}.')
    if item.get("op") not in OPERATORS and item.get("op") not in ("in", "startswith"):
        raise TabularError(f"Unknown filter operator {item.get('op')!r}.")
    _names_of([item.get("column")], "A filter", names)
    return {"column": item["column"], "op": item["op"], "value": item.get("value")}


def _keys(spec):
    return spec["by"] + (["period"] if spec["kind"] == "resample" else [])


def _outputs(spec):
    return [f"{a['column']}_{a['function']}" for a in spec["aggregations"]]


def _column(table, name):
    if name not in table.column_names:
        raise TabularError(
            f"The table has no column {name!r}; it has {', '.join(table.column_names)}."
        )
    return table[name]


def _describe(path, spec, fmt):
    """Count, mean, standard deviation, minimum and maximum of numeric columns."""

    def consume(stream):
        totals = {}
        for batch in stream.batches:
            table = _filtered(pa.Table.from_batches([batch]), spec["filters"])
            for name in spec["columns"]:
                column = _column(table, name)
                if name not in totals:
                    label = type_label(column.type)
                    if label not in ("integer", "number"):
                        raise TabularError(
                            f"Column {name!r} holds {label} values; descriptive "
                            "statistics need numbers.",
                            column=name,
                        )
                    totals[name] = NumberStats()
                totals[name].update(column)
        return stream, totals

    stream, totals = read_table_stream(path, consume, fmt=fmt)
    rows = []
    for name in spec["columns"]:
        stats = totals.get(name)
        if stats is None:
            rows.append([name, 0, None, None, None, None])
            continue
        result = stats.result()
        rows.append([name, stats.n] + [result[s] for s in STATISTICS[1:]])
    return {
        "columns": ["column", *STATISTICS],
        "rows": rows,
        "code": pandas_code(path, spec, stream),
        "notes": [],
    }


def _filtered(table, filters):
    for item in filters:
        column = _column(table, item["column"])
        if item["op"] == "in":
            mask = pc.is_in(column, value_set=pa.array(item["value"]))
        elif item["op"] == "startswith":
            mask = pc.starts_with(column, item["value"])
        else:
            mask = OPERATORS[item["op"]](column, pa.scalar(item["value"]))
        table = table.filter(pc.fill_null(mask, False))
    return table


def _with_period(table, spec, notes):
    column = _column(table, spec["time"])
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        labels = pc.unique(column).to_pylist()
        mapping = {label: _week_period(label, spec["to"]) for label in labels}
        periods = pa.array([mapping[v] for v in labels], pa.string())
        period = pc.take(periods, pc.index_in(column, value_set=pa.array(labels)))
    elif pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
        stamps = (
            column.cast(pa.timestamp("s")) if pa.types.is_date(column.type) else column
        )
        period = pc.strftime(stamps, "%Y-%m" if spec["to"] == "month" else "%Y")
    else:
        raise TabularError(f"Column {spec['time']!r} holds no dates or week labels.")
    table = table.append_column("period", period)
    missing = pc.is_null(period)
    dropped = pc.sum(pc.and_(missing, pc.is_valid(column))).as_py() or 0
    if dropped:
        notes.append(int(dropped))
    return table.filter(pc.invert(missing))


def _week_period(label, to):
    """The month or year of an ISO week label (the month of its Thursday)."""
    if label is None:
        return None
    match = WEEK_LABEL.match(label.strip())
    if not match:
        return None
    try:
        thursday = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 4)
    except ValueError:
        return None
    return f"{thursday:%Y-%m}" if to == "month" else f"{thursday:%Y}"


def _partial(table, spec):
    """The partial aggregates (sum, count, min, max) per group of one batch."""
    wanted = []
    for item in spec["aggregations"]:
        _column(table, item["column"])
        needs = ("sum", "count") if item["function"] == "mean" else (item["function"],)
        wanted += [(item["column"], function) for function in needs]
    wanted = list(dict.fromkeys(wanted))
    keys = _keys(spec)
    for key in keys:
        _column(table, key)
    # Arrow names each aggregate "<column>_<function>".
    return table.group_by(keys, use_threads=False).aggregate(wanted)


def _combine(partials, spec, final):
    keys = _keys(spec)
    table = pa.concat_tables(partials, promote_options="permissive")
    merge = {"sum": "sum", "count": "sum", "min": "min", "max": "max"}
    parts = [c for c in table.column_names if c not in keys]
    merged = [(c, merge[c.rsplit("_", 1)[1]]) for c in parts]
    grouped = table.group_by(keys, use_threads=False).aggregate(merged)
    grouped = pa.table(
        {k: grouped[k] for k in keys} | {c: grouped[f"{c}_{m}"] for c, m in merged}
    )
    if not final:
        return grouped
    columns = {k: grouped[k] for k in keys}
    for item in spec["aggregations"]:
        name, function = item["column"], item["function"]
        if function == "mean":
            total = grouped[f"{name}_sum"].cast(pa.float64())
            values = pc.divide(total, grouped[f"{name}_count"].cast(pa.float64()))
        else:
            values = grouped[f"{name}_{function}"]
        columns[f"{name}_{function}"] = values
    return pa.table(columns)


def pandas_code(path, spec, stream):
    """A pandas script that reproduces the analysis and prints it as JSON records."""
    lines = [
        "import datetime",
        "import json",
        "import sys",
        "",
        "import pandas as pd",
        "",
    ]
    lines.append("path = sys.argv[1] if len(sys.argv) > 1 else " + repr(str(path)))
    lines += read_lines(stream)
    lines += filter_lines(spec["filters"])
    if spec["kind"] == "describe":
        lines += [
            f"columns = {spec['columns']!r}",
            f"stats = df[columns].agg({list(STATISTICS)!r}).T",
            "result = stats.reset_index(names='column')",
            "print(result.to_json(orient='records'))",
            "",
        ]
        return "\n".join(lines)
    keys = list(spec["by"])
    if spec["kind"] == "resample":
        time, pattern = spec["time"], "%Y-%m" if spec["to"] == "month" else "%Y"
        lines += [
            "",
            "def period(value):",
            "    text = str(value).strip()",
            "    if 'W' in text:",
            "        year, week = text.replace('-W', 'W').split('W')",
            "        try:",
            "            day = datetime.date.fromisocalendar(int(year), int(week), 4)",
            "        except ValueError:",
            "            return None",
            "    else:",
            "        day = pd.Timestamp(text)",
            f"    return day.strftime({pattern!r})",
            "",
            f"df['period'] = df[{time!r}].map(period)",
            "df = df[df['period'].notna()]",
        ]
        keys.append("period")
    # A group without values sums to nothing (pandas' default would say 0).
    aggregations = ", ".join(
        f"{a['column'] + '_' + a['function']!r}: ({a['column']!r}, "
        + (
            "lambda s: s.sum(min_count=1))"
            if a["function"] == "sum"
            else f"{a['function']!r})"
        )
        for a in spec["aggregations"]
    )
    lines += [
        f"result = df.groupby({keys!r}).agg(**{{{aggregations}}}).reset_index()",
        "print(result.to_json(orient='records'))",
        "",
    ]
    return "\n".join(lines)
