"""Preview of a large CSV against a raw pyarrow read and naive pandas (issue 5).

Generates a CSV of about ``--size-mb`` MB once into ``.build/bench/`` (reused while
present), then runs each path in a fresh subprocess so that peak memory is per path:

- ``preview``: ``cs4od_invenio.previews.engine.preview`` (schema, rows, statistics);
- ``raw``: ``pyarrow.csv.open_csv`` iterating over the batches and nothing else;
- ``pandas``: ``pandas.read_csv`` then ``DataFrame.describe()``;
- ``arrow_mt``: ``pyarrow.csv.read_csv`` on all cores, the whole table in memory: the
  fastest full parse this machine has, shown as the floor under any preview that reads
  every row (it is not bounded in memory, so it is no candidate for the preview itself).

Seconds are measured inside each child around the work (imports excluded); peak RSS
is the child's high-water mark (VmHWM), imports included; CPU seconds (user + system of
the child, all threads) show how much of the machine each path used. The paths take turns for
``--repeat`` rounds and each keeps its best time (other load on the machine only ever
slows a run down) and its highest peak. Targets: preview peak RSS <= 256 MB, preview
time <= 1.5 x raw, pandas time >= 5 x preview.

    .venv/bin/python benchmarks/preview_large_csv.py --size-mb 1024
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".build" / "bench"
COUNTRIES = [
    "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR",
    "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "ME", "MT", "NL", "NO",
    "PL", "PT", "RO", "RS", "SE", "SI", "SK", "UK",
]  # fmt: skip


def generate(path, size_mb, seed=5):
    """Write a CSV of about ``size_mb`` MB with numbers, dates and text columns."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    target = size_mb * 1024 * 1024
    rows = 200_000
    start = np.datetime64("2000-01-03")
    ages = np.array([f"Y{a}-{a + 4}" for a in range(0, 90, 5)] + ["Y_GE90"], object)
    partial = path.with_suffix(".partial")
    offset = 0
    with open(partial, "wb") as handle:
        writer = None
        while handle.tell() < target:
            ids = np.arange(offset, offset + rows)
            notes = np.where(
                rng.random(rows) < 0.001,
                "=HYPERLINK(1)",
                np.char.add("week note ", (ids % 5000).astype(str)),
            ).astype(object)
            notes[rng.random(rows) < 0.05] = None
            table = pa.table(
                {
                    "id": ids,
                    "date": start + (ids // 1000).astype("timedelta64[D]"),
                    "geo": np.array(COUNTRIES, object)[rng.integers(0, 34, rows)],
                    "sex": np.array(["F", "M", "T"], object)[ids % 3],
                    "age": ages[rng.integers(0, len(ages), rows)],
                    "deaths": rng.poisson(120, rows),
                    "rate": np.round(rng.gamma(2.0, 4.0, rows), 3),
                    "station": np.char.add(
                        "st-", rng.integers(0, 2_000_000, rows).astype(str)
                    ),
                    "note": notes,
                }
            )
            if writer is None:
                writer = pacsv.CSVWriter(handle, table.schema)
            writer.write_table(table)
            offset += rows
        writer.close()
    partial.rename(path)


def peak_rss_mb():
    """This process's peak resident memory (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_engine():
    """The engine package on its own: importing ``cs4od_invenio`` loads Invenio."""
    import importlib.util

    folder = ROOT / "cs4od_invenio" / "previews" / "engine"
    spec = importlib.util.spec_from_file_location(
        "cs4od_engine", folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def cpu_seconds():
    """User + system CPU seconds of this process so far, all threads."""
    times = os.times()
    return times.user + times.system


def child(path_name, csv_path):
    """Run one path on the file and print its figures as JSON."""
    cpu_started = cpu_seconds()
    if path_name == "preview":
        preview = load_engine().preview

        started = time.perf_counter()
        result = preview(csv_path)
        rows = result["row_count"]
    elif path_name == "raw":
        import pyarrow.csv as pacsv

        started = time.perf_counter()
        rows = sum(batch.num_rows for batch in pacsv.open_csv(csv_path))
    elif path_name == "pandas":
        import pandas as pd

        started = time.perf_counter()
        frame = pd.read_csv(csv_path)
        frame.describe()
        rows = len(frame)
    elif path_name == "arrow_mt":
        import pyarrow.csv as pacsv

        started = time.perf_counter()
        rows = pacsv.read_csv(csv_path).num_rows
    else:
        raise SystemExit(f"unknown path {path_name}")
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    print(
        json.dumps(
            {"seconds": seconds, "cpu": cpu, "peak_rss_mb": peak_rss_mb(), "rows": rows}
        )
    )


def run(path_name, csv_path):
    """Run one path in a fresh interpreter and return its figures."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", path_name, str(csv_path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    """Generate the file if needed, run the three paths and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time pyarrow's multi-threaded whole-file read (not bounded in memory)",
    )
    parser.add_argument(
        "--child", nargs=2, metavar=("PATH", "CSV"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    CACHE.mkdir(parents=True, exist_ok=True)
    csv_path = CACHE / f"large_{args.size_mb}mb.csv"
    if not csv_path.exists():
        started = time.perf_counter()
        generate(csv_path, args.size_mb)
        print(f"generated {csv_path} in {time.perf_counter() - started:.0f} s")
    size = csv_path.stat().st_size / 1024 / 1024
    paths = ["raw", "preview"] + ([] if args.skip_pandas else ["pandas"])
    paths += ["arrow_mt"] if args.floor else []
    figures = {}
    for _ in range(args.repeat):
        for name in paths:
            data = run(name, csv_path)
            best = figures.setdefault(name, data)
            best["seconds"] = min(best["seconds"], data["seconds"])
            best["cpu"] = min(best["cpu"], data["cpu"])
            best["peak_rss_mb"] = max(best["peak_rss_mb"], data["peak_rss_mb"])
    rows = {f["rows"] for f in figures.values()}
    print(f"file: {csv_path.relative_to(ROOT)} ({size:.0f} MB, {rows.pop():,} rows)")
    print(f"best of {args.repeat} runs per path")
    print(f"{'path':<10}{'seconds':>10}{'CPU s':>8}{'peak RSS MB':>14}")
    for name, data in figures.items():
        print(
            f"{name:<10}{data['seconds']:>10.2f}{data['cpu']:>8.2f}"
            f"{data['peak_rss_mb']:>14.0f}"
        )
    preview_s, raw_s = figures["preview"]["seconds"], figures["raw"]["seconds"]
    print(f"preview / raw time:    {preview_s / raw_s:.2f}  (target <= 1.5)")
    if "pandas" in figures:
        ratio = figures["pandas"]["seconds"] / preview_s
        print(f"pandas / preview time: {ratio:.2f}  (target >= 5)")
    if "pandas" in figures and "arrow_mt" in figures:
        floor = figures["pandas"]["seconds"] / figures["arrow_mt"]["seconds"]
        print(
            f"pandas / arrow_mt:     {floor:.2f}  (the most any full read could reach)"
        )
    peak = figures["preview"]["peak_rss_mb"]
    print(f"preview peak RSS:      {peak:.0f} MB  (target <= 256)")


if __name__ == "__main__":
    main()
