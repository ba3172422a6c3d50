"""A project as the reproducibility core sees it: its notebooks, tables and analyses.

``describe`` turns a project's linked records into the plain description
``spec.build_spec`` takes. Notebook parameters are read from the notebook's
``parameters`` cell (papermill's convention): a default naming one of the project's
data files becomes ``data/<file>``, one naming an image, table or document in a
results folder becomes a declared output ``outputs/<file>`` — so a notebook written to
run beside its data (``../data/x.csv`` → ``../results/plot.png``) runs as is.

Charts, analyses and concatenations saved on the project (explorations, read through
``previews.explorations``' public functions) become steps after the notebooks, each
running its pandas script on the project's tables: a chart writes ``<name>.png`` and
its data ``<name>.json``, an analysis prints ``<name>.json``, a concatenation writes
``<name>.csv``. Only explorations computed without error whose tables are all still
linked to the project are steps (the others cannot be reproduced).
"""

import ast
import json
import posixpath

from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.records.api import RDMRecord
from invenio_records_resources.proxies import current_service_registry

from .spec import SpecError, slug

OUTPUT_EXTENSIONS = (".png", ".svg", ".pdf", ".jpg", ".csv", ".json", ".html", ".txt")


def _file_path(record_id, key):
    """The local path of a record file (files live on the instance's local storage)."""
    from cs4od_invenio.previews.service import disk_path

    record = RDMRecord.pid.resolve(record_id)
    uri = record.files[key].object_version.file.uri
    return disk_path(uri) or uri


def notebook_parameters(path):
    """``{name: literal}`` of the notebook's cell tagged ``parameters`` (or {})."""
    try:
        with open(path, encoding="utf-8") as handle:
            notebook = json.load(handle)
    except (OSError, ValueError):
        return {}
    for cell in notebook.get("cells", []):
        if "parameters" not in (cell.get("metadata", {}).get("tags") or []):
            continue
        source = "".join(cell.get("source") or [])
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return {}
        values = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                    node.targets[0], ast.Name):
                try:
                    values[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    continue
        return values
    return {}


def _placed(parameters, data_names):
    """Parameters with data files and outputs placed in the workspace; the outputs."""
    placed, outputs = {}, []
    for name, value in parameters.items():
        if isinstance(value, str):
            base = posixpath.basename(value)
            if base in data_names:
                value = f"data/{base}"
            elif base.lower().endswith(OUTPUT_EXTENSIONS) and "/" in value:
                value = f"outputs/{base}"
                outputs.append(value)
        placed[name] = value
    return placed, outputs


def describe(project_id, workflow="serial"):
    """The description of a project's workflow, from the records linked to it."""
    projects = current_service_registry.get("projects")
    project = projects.read(system_identity, project_id).to_dict()
    metadata = project["metadata"]
    rdm = current_rdm_records_service
    data, notebooks, outputs = [], [], []
    for link in metadata.get("datasets", []):
        record = rdm.read(system_identity, link["id"]).to_dict()
        for key, entry in sorted((record.get("files", {}).get("entries") or {}).items()):
            # Two datasets may hold files of the same name: the later one is prefixed
            # with its record id (parameters naming the file mean the first one).
            name = key if key not in {d["name"] for d in data} else f"{link['id']}-{key}"
            data.append({"name": name, "record_id": link["id"], "key": key,
                         "path": _file_path(link["id"], key),
                         "size": entry.get("size"),
                         "url": f"{record['links']['self_html']}/files/{key}"})
    names = {item["name"] for item in data}
    for link in metadata.get("notebooks", []):
        record = rdm.read(system_identity, link["id"]).to_dict()
        for key in sorted(record.get("files", {}).get("entries") or {}):
            if not key.endswith(".ipynb"):
                continue
            path = _file_path(link["id"], key)
            parameters, made = _placed(notebook_parameters(path), names)
            notebooks.append({"name": key, "path": path, "parameters": parameters})
            outputs += [o for o in made if o not in outputs]
    names_of = {(item["record_id"], item["key"]): item["name"] for item in data}
    taken = {slug(n["name"].removesuffix(".ipynb")) for n in notebooks}
    analyses = saved_analyses(project_id, names_of, taken)
    return {"title": metadata.get("title"), "workflow": workflow, "notebooks": notebooks,
            "data": [{k: v for k, v in item.items() if k not in ("record_id", "key")}
                     for item in data],
            "analyses": analyses, "outputs": outputs}


def saved_analyses(project_id, names_of, taken=()):
    """The project's saved explorations as analyses of ``spec.build_spec``.

    ``names_of`` maps ``(record_id, key)`` of the project's tables to their workspace
    names; ``taken`` holds step names already used (a title used twice gets "-2").
    """
    from cs4od_invenio.previews import explorations

    analyses, taken = [], set(taken)
    for item in explorations.visible(system_identity, project_id):
        if item.get("status") != "succeeded":
            continue
        row = explorations.get(system_identity, project_id, item["id"])
        sources = [(s["record_id"], s["key"]) for s in item.get("sources") or []]
        if row is None or not row.code or not sources or any(
                s not in names_of for s in sources):
            continue
        try:
            stem = slug(item.get("title") or item["kind"])
        except SpecError:
            stem = item["kind"]
        name, number = stem, 1
        while name.lower() in {t.lower() for t in taken}:
            number += 1
            name = f"{stem}-{number}"
        taken.add(name)
        analysis = {"name": name, "code": row.code,
                    "data": [names_of[s] for s in sources]}
        if item["kind"] == "chart":
            analysis["outputs"] = [f"{name}.png", f"{name}.json"]
        elif item["kind"] == "concatenation":
            analysis["outputs"] = [f"{name}.csv"]
        else:
            analysis["stdout"] = f"{name}.json"
        analyses.append(analysis)
    return analyses
