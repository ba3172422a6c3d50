"""Lines of the generated pandas scripts that read a table file and filter its rows.

Analyses and charts both hand out a script that redoes them with pandas; both start by
reading the file as the engine read it into ``df`` and keeping the rows the filters
keep. Values from the file or the spec are written as Python literals (``repr``).
"""


def read_lines(stream):
    """Lines that read the file at ``path`` into ``df``, as the engine read it."""
    fmt, details, names = stream.format, stream.details, stream.column_names
    if fmt == "eurostat":
        dims, time = details["dimensions"], details["time_dimension"]
        return [
            "wide = pd.read_csv(path, sep='\\t', dtype=str, keep_default_na=False)",
            "packed = wide.columns[0]",
            f"wide[{dims!r}] = wide[packed].str.split(',', expand=True)",
            f"df = wide.drop(columns=[packed]).melt(id_vars={dims!r}, "
            f"var_name={time!r}, value_name='cell')",
            f"df[{time!r}] = df[{time!r}].str.strip()",
            "parts = df.pop('cell').str.strip().str.extract("
            "r'^([-+0-9.eE]*)\\s*:?\\s*([a-z]*)$')",
            "df['value'] = pd.to_numeric(parts[0], errors='coerce')",
            "df['flags'] = parts[1].where(parts[1] != '')",
        ]
    if fmt == "csv":
        dialect = details["dialect"]
        return [
            f"df = pd.read_csv(path, sep={dialect['delimiter']!r}, "
            f"encoding={dialect['encoding']!r}, "
            f"header={0 if dialect['header'] else None!r}, names={names!r})"
        ]
    if fmt == "xlsx":
        header = 0 if details.get("header") else None
        return [
            f"df = pd.read_excel(path, sheet_name={details.get('sheet')!r}, "
            f"header={header!r}, names={names!r})"
        ]
    if fmt == "parquet":
        return ["df = pd.read_parquet(path)"]
    return ["df = pd.read_json(path, lines=True)"]


def filter_lines(filters):
    """Lines that keep the rows of ``df`` that pass every filter.

    Like the engine, a filter drops the rows whose value is missing.
    """
    lines = []
    for item in filters:
        column, op, value = item["column"], item["op"], item["value"]
        if op == "in":
            lines.append(f"df = df[df[{column!r}].isin({value!r})]")
        elif op == "startswith":
            lines.append(
                f"df = df[df[{column!r}].notna() & "
                f"df[{column!r}].astype(str).str.startswith({value!r})]"
            )
        else:
            lines.append(
                f"df = df[df[{column!r}].notna() & (df[{column!r}] {op} {value!r})]"
            )
    return lines
