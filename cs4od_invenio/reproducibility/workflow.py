"""From a reana.yaml to the bash script the local runner runs.

``serial`` steps' commands run one after the other with ``bash -c`` (``${parameters}``
replaced from ``inputs.parameters``, as REANA's serial engine does), ``cwl`` with
``cwltool --no-container``. What cannot run is a ``RunError`` saying why.
"""

import shlex
import string

import yaml

from .runs import RUN_DIR, STEP_MARK

CWL_JOB = ".cs4od-job.yml"


class RunError(Exception):
    """The specification or workspace cannot be run."""


def load_spec(workdir, spec=None):
    """The reana.yaml (a dict, a text, or None: ``workdir/reana.yaml``) as a dict,
    once checked that the local runner can run it with the workspace's inputs."""
    if spec is None:
        path = workdir / "reana.yaml"
        if not path.is_file():
            raise RunError("invalid specification: there is no reana.yaml")
        spec = path.read_text(encoding="utf-8")
    if isinstance(spec, str):
        try:
            spec = yaml.safe_load(spec)
        except yaml.YAMLError as error:
            raise RunError(f"invalid specification: not YAML ({error})") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("workflow"), dict):
        raise RunError("invalid specification: it has no workflow")
    kind = spec["workflow"].get("type")
    if kind not in ("serial", "cwl"):
        raise RunError(
            f"invalid specification: the local runner runs serial and cwl"
            f" workflows, not {kind!r}"
        )
    inputs = spec.get("inputs") or {}
    for path in inputs.get("files") or []:
        if not (workdir / str(path)).is_file():
            raise RunError(f"input file {path} is not in the workspace")
    for path in inputs.get("directories") or []:
        if not (workdir / str(path)).is_dir():
            raise RunError(f"input directory {path} is not in the workspace")
    return spec


def script(spec, workdir, venv):
    """The bash script of the workflow, run in ``workdir`` with the runner's ``venv``."""
    if not (venv / "bin" / "python").is_file():
        raise RunError(
            f"the local runner is not installed at {venv}"
            " (scripts/cs4od install makes it)"
        )
    workflow = spec["workflow"]
    parameters = (spec.get("inputs") or {}).get("parameters") or {}
    lines = ["set -e"]
    if workflow["type"] == "serial":
        steps = (workflow.get("specification") or {}).get("steps") or []
        if not steps:
            raise RunError("invalid specification: the serial workflow has no step")
        values = {k: str(v) for k, v in parameters.items()}
        for number, step in enumerate(steps):
            name = step.get("name") or str(number)
            label = f"{STEP_MARK}{name}"
            lines.append(f"echo {shlex.quote(label)}")
            for command in step.get("commands") or []:
                command = string.Template(str(command)).safe_substitute(values)
                lines.append(f"bash -c {shlex.quote(command)}")
    else:
        lines += _cwl_lines(workflow, parameters, workdir)
    return "\n".join(lines) + "\n"


def _cwl_lines(workflow, parameters, workdir):
    file = workflow.get("file")
    if not file or not (workdir / file).is_file():
        raise RunError(f"CWL workflow file {file} is not in the workspace")
    # Paths in the job file are relative to the workspace, as on REANA; cwltool
    # reads them relative to the job file, so a copy goes to the top.
    if isinstance(parameters.get("input"), str):
        source = workdir / parameters["input"]
        if not source.is_file():
            raise RunError(
                f"CWL job file {parameters['input']} is not in the workspace"
            )
        job = source.read_text(encoding="utf-8")
    else:
        job = yaml.safe_dump(parameters)
    (workdir / CWL_JOB).write_text(job, encoding="utf-8")
    tmp = f"{RUN_DIR}/tmp/"
    (workdir / tmp).mkdir(parents=True, exist_ok=True)
    command = [
        "cwltool",
        "--disable-color",
        "--no-container",
        "--tmpdir-prefix",
        tmp,
        "--tmp-outdir-prefix",
        tmp,
        "--outdir",
        "outputs",
        file,
        CWL_JOB,
    ]
    return [f"echo {shlex.quote(STEP_MARK + 'cwl')}", shlex.join(command)]
