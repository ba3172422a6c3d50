"""The engine is a pure core: it runs without Flask, Invenio or pandas."""

import json
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "cs4od_invenio" / "previews" / "engine"

# Loads the engine package on its own (``cs4od_invenio/__init__`` imports Invenio).
SCRIPT = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location(
    "engine", sys.argv[1] + "/__init__.py", submodule_search_locations=[sys.argv[1]]
)
engine = importlib.util.module_from_spec(spec)
sys.modules["engine"] = engine
spec.loader.exec_module(engine)
result = engine.preview(sys.argv[2])
loaded = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"rows": result["row_count"], "modules": loaded}))
"""


def test_csv_preview_imports_no_web_stack_nor_pandas(population_csv):
    output = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ENGINE), str(population_csv)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    report = json.loads(output)
    assert report["rows"] > 0
    # pandas would cost ~40 MB of the streaming preview's memory budget.
    assert not {"flask", "invenio_app", "invenio_records", "pandas"} & set(
        report["modules"]
    )
