"""Validation of a reana.yaml text with reana-client's own rules.

reana-client 0.9.6 lives in its own virtual environment (it cannot share InvenioRDM's),
so it is run as a program: ``reana-client validate -f reana.yaml`` in a temporary
workspace holding the workflow's files. It checks locally, without a server:

- the REANA JSON Schema (``workflow`` required, ``workflow.type`` one of cwl, serial,
  yadage, snakemake, types of every key; unknown keys are warnings);
- input parameters not used by any step, and ``${parameters}`` used but not defined
  (warnings);
- "dangerous" operations in commands (``sudo``, ``cd /``; warnings);
- for CWL, that ``cwltool --pack`` can load the workflow file.

It does not look at ``version`` beyond its being a string, nor at whether the listed
input files exist, and where the file is no mapping or has no ``workflow.type`` it only
says "Something went wrong". Those are checked here (problems with ``source`` "cs4od"),
and a text that is not YAML is reported with its line and column without calling
reana-client.
"""

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW_TYPES = ("cwl", "serial", "yadage", "snakemake")
MESSAGE = re.compile(r"^(?:==>|  ->) (ERROR|WARNING|SUCCESS): (.*)$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXCEPTION = re.compile(r"^[\w.]+(?:Exception|Error): (.+)$")
# Framing lines around warnings, not problems themselves.
FRAMING = (
    "The REANA specification appears valid, but some warnings were found.",
    "Please make sure that the REANA specification file is correct.",
)
GENERIC = "Something went wrong when trying to validate"


class ReanaClientError(RuntimeError):
    """reana-client could not be run (not installed, or it hung)."""


def reana_client_program():
    """Path of reana-client: ``CS4OD_REANA_CLIENT`` or ``<repo>/.venv-reana/bin``."""
    return os.environ.get("CS4OD_REANA_CLIENT") or str(
        ROOT / ".venv-reana" / "bin" / "reana-client"
    )


@dataclass
class ValidationResult:
    """Problems found in a reana.yaml; ``valid`` when none is an error.

    Each problem is ``{"message", "level": "error"|"warning", "source":
    "yaml"|"reana-client"|"cs4od"}``, with ``line`` and ``column`` (1-based) for YAML
    syntax errors. ``output`` is what reana-client printed.
    """

    problems: list = field(default_factory=list)
    output: str = ""

    @property
    def valid(self):
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def errors(self):
        """The problems of level "error"."""
        return [p for p in self.problems if p["level"] == "error"]

    @property
    def warnings(self):
        """The problems of level "warning"."""
        return [p for p in self.problems if p["level"] == "warning"]

    def as_dict(self):
        """Plain data for an API answer."""
        return {"valid": self.valid, "problems": self.problems}

    def _add(self, message, level="error", source="cs4od", **where):
        problem = {"message": message, "level": level, "source": source, **where}
        if problem not in self.problems:
            self.problems.append(problem)


def validate_spec(text, *, workspace=None, files=None, program=None, timeout=120):
    """Validate reana.yaml ``text`` as reana-client does, plus CS4OD's checks.

    The workflow's files come from a ``workspace`` folder (linked, not copied) and/or
    ``files`` (a mapping of workspace paths to ``str`` or ``bytes``).
    """
    result = ValidationResult()
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = {"line": mark.line + 1, "column": mark.column + 1} if mark else {}
        detail = getattr(error, "problem", None) or str(error)
        at = f" (line {where['line']}, column {where['column']})" if where else ""
        result._add(
            f"reana.yaml is not valid YAML: {detail}{at}", source="yaml", **where
        )
        return result
    if not isinstance(spec, dict):
        result._add(
            "reana.yaml must be a mapping with the keys version, inputs, workflow"
            " and outputs"
        )
        return result
    _check_structure(spec, result)
    with tempfile.TemporaryDirectory(prefix="cs4od-validate-") as tmp:
        tmp = Path(tmp)
        _lay_out(tmp, workspace, files)
        _check_files_present(spec, tmp, result)
        spec_file = tmp / "reana.yaml"
        spec_file.write_text(text, encoding="utf-8")
        _run_reana_client(spec_file, program or reana_client_program(), timeout, result)
    return result


def _check_structure(spec, result):
    """What reana-client reports only as "Something went wrong"."""
    workflow = spec.get("workflow")
    if workflow is None:
        result._add("workflow is required (with its type and specification or file)")
    elif not isinstance(workflow, dict):
        result._add("workflow must be a mapping with type and specification or file")
    elif "type" not in workflow:
        result._add(f"workflow.type is required: one of {', '.join(WORKFLOW_TYPES)}")
    for key in ("inputs", "outputs"):
        if key in spec and not isinstance(spec[key], dict):
            result._add(f"{key} must be a mapping")


def _listed(spec):
    """Workspace paths the specification says are there before the run."""
    inputs = spec.get("inputs") if isinstance(spec.get("inputs"), dict) else {}
    workflow = spec.get("workflow") if isinstance(spec.get("workflow"), dict) else {}
    listed = []
    for key, kind in (("files", "file"), ("directories", "directory")):
        values = inputs.get(key) or []
        if isinstance(values, list):
            listed += [(f"inputs.{key}", kind, str(v)) for v in values]
    if isinstance(workflow.get("file"), str):
        listed.append(("workflow.file", "file", workflow["file"]))
    parameters = inputs.get("parameters")
    if workflow.get("type") == "cwl" and isinstance(parameters, dict):
        if isinstance(parameters.get("input"), str):
            listed.append(("inputs.parameters.input", "file", parameters["input"]))
    return listed


def _check_files_present(spec, workspace, result):
    for key, kind, path in _listed(spec):
        if Path(path).is_absolute() or ".." in Path(path).parts:
            result._add(f"{key}: {path} must be a path inside the workspace")
            continue
        target = workspace / path
        present = target.is_dir() if kind == "directory" else target.is_file()
        if not present:
            result._add(f"{key}: {kind} {path} is not in the workspace")


def _lay_out(tmp, workspace, files):
    if workspace is not None:
        for entry in Path(workspace).iterdir():
            if entry.name != "reana.yaml":
                (tmp / entry.name).symlink_to(entry.resolve())
    for path, content in (files or {}).items():
        target = tmp / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def _run_reana_client(spec_file, program, timeout, result):
    if not Path(program).is_file():
        raise ReanaClientError(
            f"reana-client is not installed at {program} (scripts/cs4od install"
            " makes it; CS4OD_REANA_CLIENT names another)"
        )
    env = dict(os.environ)
    # reana-client calls cwltool, installed beside it, by name.
    env["PATH"] = f"{Path(program).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONWARNINGS"] = "ignore"
    try:
        done = subprocess.run(
            [program, "validate", "-f", spec_file.name],
            cwd=spec_file.parent,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired as error:
        raise ReanaClientError(
            f"reana-client validate took over {timeout} s"
        ) from error
    tmp = str(spec_file.parent)
    stdout = ANSI.sub("", done.stdout).replace(tmp + "/", "")
    stderr = ANSI.sub("", done.stderr).replace(tmp + "/", "")
    result.output = (stdout + stderr).strip()
    generic = _parse(stdout + stderr, result)
    if generic:
        # Say why when we know it; otherwise pass on the last exception's message.
        cause = _last_exception(stderr)
        if cause:
            result._add(cause, source="reana-client")
        elif not result.errors:
            result._add(generic, source="reana-client")
    elif done.returncode != 0 and not result.errors:
        result._add(
            f"reana-client validate failed (exit {done.returncode}): "
            + (result.output.splitlines() or ["no output"])[-1],
            source="reana-client",
        )


def _parse(output, result):
    """Add reana-client's errors and warnings; return its generic error, if any."""
    generic = None
    current = None
    for line in output.splitlines():
        match = MESSAGE.match(line)
        if match:
            level, message = match.group(1).lower(), match.group(2).strip()
            current = None
            if level == "success" or message in FRAMING:
                continue
            if message.startswith(GENERIC):
                generic = "reana-client could not validate reana.yaml"
                continue
            current = {"message": message, "level": level}
            result._add(message, level=level, source="reana-client")
        elif line.startswith(("==>", "[", "Traceback", "  File ")) or not line.strip():
            current = None
        elif current is not None:
            # A message continued on the next lines (the schema error under "not a
            # valid REANA specification:").
            result.problems.remove({**current, "source": "reana-client"})
            current["message"] = f"{current['message']} {line.strip()}"
            result._add(
                current["message"], level=current["level"], source="reana-client"
            )
    return generic


def _last_exception(stderr):
    for line in reversed(stderr.splitlines()):
        match = EXCEPTION.match(line.strip())
        if match:
            return f"the CWL workflow cannot be loaded: {match.group(1)}"
    return None
