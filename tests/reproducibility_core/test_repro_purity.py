"""The reproducibility core runs without Flask or Invenio (each module on its own)."""

import json
import subprocess
import sys


SCRIPT = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_spec_validate_bundle_and_runner_import_no_web_stack():
    for name in ("spec", "validate", "bundle", "runner"):
        output = subprocess.run(
            [sys.executable, "-c", SCRIPT, f"cs4od_invenio.reproducibility.{name}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        loaded = set(json.loads(output))
        assert "yaml" in loaded, name
        assert not {m for m in loaded if m.startswith(("flask", "invenio", "celery"))}
