"""reana.yaml of a project, built from plain data (no app, no database).

A project is described as a dict::

    {
        "title": "World population",                        # optional
        "workflow": "serial" | "cwl",
        "notebooks": [{"name": "worldpopulation.ipynb", "path": "/abs/file.ipynb",
                       "parameters": {"input_file": "data/x.csv", "region": "Africa",
                                      "output_file": "outputs/plot.png"}}],
        "data": [{"name": "x.csv", "path": "/abs/x.csv" or "url": "https://...",
                  "size": 1234}],
        "analyses": [{"name": "deaths by region", "code": "<pandas script>",
                      "data": "x.csv" or ["x.csv", "y.csv"],
                      "outputs": ["deaths.png"],      # optional
                      "stdout": "deaths.json"}],      # optional
        "outputs": ["outputs/plot.png"],
        "environment": "docker.io/reanahub/reana-env-jupyter:3.0.0",  # optional
    }

In the workspace notebooks live in ``code/``, data files in ``data/``, what the
workflow makes in ``outputs/``. Notebooks run with papermill; a parameter whose value
is one of the data files (``data/x.csv``) becomes a File input in CWL, and one whose
value is a declared output (``outputs/plot.png``) is given the bare file name there,
since a CWL tool writes into its own output folder, which REANA and the local runner
collect into ``outputs/``. A saved analysis (a chart, group-by or concatenation saved
on the project) is a pandas script run after the notebooks as ``python code/<name>.py
data/<file>... outputs/<output>...``: its data files, then the files it writes (its
``outputs``, each declared as ``outputs/<output>``); what it prints goes to
``outputs/<stdout>`` (by default, when it names no output, ``outputs/<name>.json``).
"""

import re
from dataclasses import dataclass, field

import yaml

REANA_SPEC_VERSION = "0.3.0"
DEFAULT_ENVIRONMENT = "docker.io/reanahub/reana-env-jupyter:3.0.0"
WORKFLOW_TYPES = ("serial", "cwl")
CWL_DIR = "workflow/cwl"
CWL_WORKFLOW = f"{CWL_DIR}/workflow.cwl"
CWL_JOB = f"{CWL_DIR}/job.yml"
# What the shell would interpret inside "${param}" once REANA has substituted it.
UNSAFE_VALUE = re.compile(r'["$`\\\n]')
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]*$")


class SpecError(ValueError):
    """The project description cannot be turned into a reana.yaml."""


@dataclass
class Specification:
    """A reana.yaml with the files it needs.

    ``reana`` is the reana.yaml content; ``generated`` maps workspace paths to the text
    of files made here (CWL files, analysis scripts); ``sources`` maps workspace paths
    to where the project's own files are (``{"path": ...}`` or ``{"url": ..., "size":
    ...}``).
    """

    reana: dict
    generated: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)

    def yaml(self):
        """The reana.yaml text."""
        return dump_yaml(self.reana)


def dump_yaml(data):
    """YAML text of plain data, keys in the order given."""
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=88)


def slug(name):
    """A step or file name made of letters, digits, '-' and '_'."""
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
    if not text:
        raise SpecError(f"name {name!r} has no letter or digit")
    return text


def _check_name(kind, name):
    if not isinstance(name, str) or not NAME.match(name) or ".." in name:
        raise SpecError(f"{kind} name {name!r} is not a plain file name")
    return name


def _outputs(project):
    outputs = []
    for path in project.get("outputs", []):
        if not re.match(r"^outputs/[^/]+$", str(path)) or ".." in path:
            raise SpecError(
                f"output {path!r} must be a file directly in outputs/,"
                " e.g. outputs/plot.png"
            )
        if path not in outputs:
            outputs.append(path)
    return outputs


def _parameters(notebooks):
    """REANA parameter names for each notebook's parameters.

    A name shared by notebooks with different values is prefixed with the notebook.
    """
    values = {}
    for notebook in notebooks:
        for name, value in notebook.get("parameters", {}).items():
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
                raise SpecError(
                    f"parameter {name!r} of {notebook['name']} is no Python name"
                )
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise SpecError(
                    f"parameter {name!r} of {notebook['name']} must be a string"
                    " or a number"
                )
            if isinstance(value, str) and UNSAFE_VALUE.search(value):
                raise SpecError(
                    f"parameter {name!r} of {notebook['name']} contains a quote, '$', "
                    "'`', '\\' or a line break, which a command line cannot carry"
                )
            values.setdefault(name, set()).add(value)
    keys = {}
    for notebook in notebooks:
        stem = slug(notebook["name"].removesuffix(".ipynb")).replace("-", "_")
        for name in notebook.get("parameters", {}):
            shared = len(values[name]) > 1
            keys[(notebook["name"], name)] = f"{stem}_{name}" if shared else name
    return keys


def build_spec(project):
    """Build the reana.yaml (and its generated files) of a project description."""
    workflow = project.get("workflow", "serial")
    if workflow not in WORKFLOW_TYPES:
        raise SpecError(
            f"workflow type {workflow!r} is not supported;"
            f" use one of {', '.join(WORKFLOW_TYPES)}"
        )
    notebooks = list(project.get("notebooks", []))
    analyses = list(project.get("analyses", []))
    if not notebooks and not analyses:
        raise SpecError("the project has no notebook and no saved analysis to run")
    spec = Specification(reana={})
    files = []
    data_paths = {}
    for item in project.get("data", []):
        name = _check_name("data file", item.get("name"))
        path = f"data/{name}"
        if path in data_paths.values():
            raise SpecError(f"data file {name} is listed twice")
        if not item.get("path") and not item.get("url"):
            raise SpecError(f"data file {name} has neither a path nor a URL")
        # Both when known: the bundle ships the file, or points to the URL if large.
        spec.sources[path] = {
            key: item[key]
            for key in ("path", "url", "size")
            if item.get(key) is not None
        }
        data_paths[name] = path
    for notebook in notebooks:
        name = _check_name("notebook", notebook.get("name"))
        if not name.endswith(".ipynb"):
            raise SpecError(f"notebook {name} is not a .ipynb file")
        path = f"code/{name}"
        if path in spec.sources:
            raise SpecError(f"notebook {name} is listed twice")
        if not notebook.get("path"):
            raise SpecError(f"notebook {name} has no path")
        spec.sources[path] = {"path": notebook["path"], "size": notebook.get("size")}
        files.append(path)
    outputs = _outputs(project)
    declared = list(outputs)
    keys = _parameters(notebooks)
    steps = [_notebook_step(nb, keys) for nb in notebooks]
    for analysis in analyses:
        step = _analysis_step(analysis, data_paths)
        if step["script"] in spec.generated:
            raise SpecError(f"analysis {analysis['name']!r} is listed twice")
        spec.generated[step["script"]] = analysis["code"].rstrip("\n") + "\n"
        files.append(step["script"])
        steps.append(step)
    for step in steps:
        for path in step["outputs"]:
            if path not in outputs:
                outputs.append(path)
    files += data_paths.values()
    environment = project.get("environment", DEFAULT_ENVIRONMENT)
    parameters = {}
    for step in steps:
        parameters.update(step["parameters"])
    reana = {"version": REANA_SPEC_VERSION, "inputs": {"files": files}}
    if workflow == "serial":
        if parameters:
            reana["inputs"]["parameters"] = parameters
        reana["workflow"] = {
            "type": "serial",
            "specification": {
                "steps": [
                    {
                        "name": step["name"],
                        "environment": environment,
                        "commands": [step["command"]],
                    }
                    for step in steps
                ]
            },
        }
    else:
        reana["inputs"]["directories"] = [CWL_DIR]
        reana["inputs"]["parameters"] = {"input": CWL_JOB}
        reana["workflow"] = {"type": "cwl", "file": CWL_WORKFLOW}
        spec.generated.update(_cwl_files(steps, data_paths, declared, environment))
    reana["outputs"] = {"files": outputs}
    spec.reana = reana
    return spec


def _notebook_step(notebook, keys):
    name = notebook["name"]
    stem = slug(name.removesuffix(".ipynb"))
    executed = f"outputs/{stem}.ipynb"
    command = f"mkdir -p outputs && papermill code/{name} {executed}"
    params = {}
    for param, value in notebook.get("parameters", {}).items():
        key = keys[(name, param)]
        params[key] = value
        command += f' -p {param} "${{{key}}}"'
    return {
        "kind": "notebook",
        "name": stem,
        "source": f"code/{name}",
        "command": command,
        "parameters": params,
        "names": {keys[(name, p)]: p for p in notebook.get("parameters", {})},
        "outputs": [executed],
    }


def _analysis_step(analysis, data_paths):
    name = analysis.get("name") or ""
    stem = slug(name)
    data = analysis.get("data")
    if data is None and len(data_paths) == 1:
        data = next(iter(data_paths))
    names = [data] if isinstance(data, str) or data is None else list(data)
    if not names or any(n not in data_paths for n in names):
        raise SpecError(f"analysis {name!r} names no data file of the project")
    if not analysis.get("code"):
        raise SpecError(f"analysis {name!r} has no code")
    writes = [_check_name("output", o) for o in analysis.get("outputs") or []]
    stdout = analysis.get("stdout")
    if stdout is None and not writes:
        stdout = f"{stem}.json"
    if stdout is not None:
        _check_name("output", stdout)
    script = f"code/{stem}.py"
    data = [data_paths[n] for n in names]
    outputs = [f"outputs/{o}" for o in writes + ([stdout] if stdout else [])]
    command = " ".join(["mkdir -p outputs && python", script, *data,
                        *(f"outputs/{o}" for o in writes)])
    if stdout:
        command += f" > outputs/{stdout}"
    return {
        "kind": "analysis",
        "name": stem,
        "script": script,
        "data": data,
        "writes": writes,
        "stdout": stdout,
        "command": command,
        "parameters": {},
        "outputs": outputs,
    }


def _cwl_type(value, data_paths):
    if isinstance(value, str) and value in data_paths:
        return "File"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    return "string"


def _cwl_files(steps, data_paths, declared, environment):
    """CWL workflow, one CommandLineTool per step, and the job (inputs) file.

    The Docker image is a hint, not a requirement, so that the local runner can run the
    tools without a container (``cwltool --no-container``) while REANA uses the image.
    """
    paths = set(data_paths.values())
    files = {}
    job, wf_inputs, wf_outputs, wf_steps = {}, {}, {}, {}
    # Which notebook writes which declared output is not known: each one looks for all.
    basenames = [o.split("/", 1)[1] for o in declared]
    hints = [{"class": "DockerRequirement", "dockerPull": environment}]
    for step in steps:
        tool_inputs, arguments, step_in = {}, [], {}
        own = [o.split("/", 1)[1] for o in step["outputs"]]
        if step["kind"] == "notebook":
            notebook_key = f"{step['name']}_notebook".replace("-", "_")
            job[notebook_key] = {"class": "File", "path": step["source"]}
            wf_inputs[notebook_key] = "File"
            step_in["notebook"] = notebook_key
            tool_inputs["notebook"] = "File"
            base = ["papermill"]
            arguments += ["$(inputs.notebook.path)", own[0]]
            for key, value in step["parameters"].items():
                param = step["names"][key]
                kind = _cwl_type(value, paths)
                if kind == "File":
                    job[key] = {"class": "File", "path": value}
                    reference = f"$(inputs.{param}.path)"
                elif isinstance(value, str) and value in declared:
                    job[key] = value.split("/", 1)[1]
                    reference = f"$(inputs.{param})"
                else:
                    job[key] = value
                    reference = f"$(inputs.{param})"
                wf_inputs[key] = kind
                tool_inputs[param] = kind
                step_in[param] = key
                arguments += ["-p", param, reference]
            globs = own + [b for b in basenames if b not in own]
        else:
            script_key = f"{step['name']}_script".replace("-", "_")
            job[script_key] = {"class": "File", "path": step["script"]}
            wf_inputs[script_key] = "File"
            step_in["script"] = script_key
            tool_inputs["script"] = "File"
            base = ["python"]
            arguments.append("$(inputs.script.path)")
            single = len(step["data"]) == 1
            for number, path in enumerate(step["data"]):
                field = "data" if single else f"data_{number + 1}"
                data_key = f"{step['name']}_{field}".replace("-", "_")
                job[data_key] = {"class": "File", "path": path}
                wf_inputs[data_key] = tool_inputs[field] = "File"
                step_in[field] = data_key
                arguments.append(f"$(inputs.{field}.path)")
            arguments += step["writes"]
            globs = own
        tool = {
            "cwlVersion": "v1.0",
            "class": "CommandLineTool",
            "hints": hints,
            "baseCommand": base,
            "arguments": arguments,
            "inputs": tool_inputs,
            "outputs": {"files": {"type": "File[]", "outputBinding": {"glob": globs}}},
        }
        if step["kind"] == "analysis" and step["stdout"]:
            tool["stdout"] = step["stdout"]
        tool_file = f"{step['name']}.cwl"
        files[f"{CWL_DIR}/{tool_file}"] = "#!/usr/bin/env cwl-runner\n" + dump_yaml(
            tool
        )
        wf_steps[step["name"]] = {"run": tool_file, "in": step_in, "out": ["files"]}
        wf_outputs[f"{step['name']}_files".replace("-", "_")] = {
            "type": "File[]",
            "outputSource": f"{step['name']}/files",
        }
    workflow = {
        "cwlVersion": "v1.0",
        "class": "Workflow",
        "inputs": wf_inputs,
        "outputs": wf_outputs,
        "steps": wf_steps,
    }
    files[CWL_WORKFLOW] = "#!/usr/bin/env cwl-runner\n" + dump_yaml(workflow)
    files[CWL_JOB] = dump_yaml(job)
    return files
