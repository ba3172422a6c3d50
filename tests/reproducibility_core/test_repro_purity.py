"""The reproducibility core runs without Flask or Invenio (each module on its own)."""

import json
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "cs4od_invenio" / "reproducibility"

# Loads one module by path: ``cs4od_invenio/__init__`` imports the Invenio extension.
SCRIPT = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("core", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_spec_validate_bundle_and_runner_import_no_web_stack():
    for name in ("spec", "validate", "bundle", "runner"):
        output = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(CORE / f"{name}.py")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        loaded = set(json.loads(output))
        assert "yaml" in loaded, name
        assert not {m for m in loaded if m.startswith(("flask", "invenio", "celery"))}
