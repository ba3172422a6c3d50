"""Explorations saved on a project: charts, analyses and concatenations of its tables.

An exploration names its source tables (``{"record_id", "key"}`` of datasets linked
to the project) and a spec for the engine; a Celery task computes it and stores the
result with the runnable code that reproduces it (for the project's reana.yaml). A
concatenation also publishes the combined table as a new dataset, derived from every
source, and links it into the project.
"""

import os
import shutil
import tempfile
import time

from flask import current_app
from invenio_access.permissions import system_identity
from invenio_accounts.models import User
from invenio_db import db
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.records.api import RDMRecord
from invenio_records_resources.proxies import current_service_registry
from marshmallow import ValidationError

from .engine import TabularError, build_chart, concatenate, render, run_analysis
from .engine.analyses import check_analysis
from .engine.charts import check_spec
from .models import Exploration, TabularPreview
from .service import _local_path, is_tabular

KINDS = {"chart": (1, 1), "analysis": (1, 1), "concatenation": (2, 20)}


def _projects():
    return current_service_registry.get("projects")


def _project(identity, project_id, action):
    projects = _projects()
    record = projects.record_cls.pid.resolve(project_id)
    projects.require_permission(identity, action, record=record)
    return record


def _may_read_files(identity, record_id):
    try:
        record = RDMRecord.pid.resolve(record_id)
        current_rdm_records_service.require_permission(identity, "read_files",
                                                       record=record)
        return True
    except Exception:
        return False


def _columns(record_id, key):
    """Column names from the file's preview, when it has one."""
    row = TabularPreview.query.filter_by(record_id=record_id, file_key=key).one_or_none()
    if row is None or row.status != "succeeded" or not row.result:
        return None
    if row.result.get("columns_truncated"):
        return None
    return [c["name"] for c in row.result["columns"]]


def _checked(identity, project, data):
    """The exploration input checked; ``ValidationError`` names each bad field."""
    errors = {}
    data = data if isinstance(data, dict) else {}
    kind = data.get("kind")
    if kind not in KINDS:
        errors["kind"] = ["Choose chart, analysis or concatenation."]
        raise ValidationError(errors)
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = ["Give a title."]
    linked = {d["id"] for d in project.get("metadata", {}).get("datasets", [])}
    sources = data.get("sources") or []
    low, high = KINDS[kind]
    if not isinstance(sources, list) or not low <= len(sources) <= high:
        errors["sources"] = [f"Choose {low} table." if low == high else
                             f"Choose between {low} and {high} tables."]
        raise ValidationError(errors)
    clean = []
    for index, source in enumerate(sources):
        record_id = (source or {}).get("record_id")
        key = (source or {}).get("key") or ""
        if record_id not in linked:
            errors[f"sources.{index}"] = ["Not a dataset of this project."]
        elif not is_tabular(key):
            errors[f"sources.{index}"] = [f"{key or 'This file'} is not a table."]
        elif not _may_read_files(identity, record_id):
            errors[f"sources.{index}"] = ["You may not read this dataset's files."]
        else:
            clean.append({"record_id": record_id, "key": key})
    spec = data.get("spec") or {}
    if kind in ("chart", "analysis") and not errors:
        columns = _columns(clean[0]["record_id"], clean[0]["key"])
        try:
            if kind == "analysis":
                check_analysis(spec, columns)
            elif columns is not None:
                check_spec(spec, columns)
        except TabularError as error:
            errors["spec"] = [error.message]
    if errors:
        raise ValidationError(errors)
    return kind, title, clean, spec


def create(identity, project_id, data):
    """Save a new exploration on the project and queue its computation; returns it."""
    from .tasks import compute_exploration

    project = _project(identity, project_id, "manage")
    kind, title, sources, spec = _checked(identity, project, data)
    user_id = identity.id if isinstance(identity.id, int) else None
    row = Exploration(project_id=project_id, kind=kind, title=title, sources=sources,
                      spec=spec, user_id=user_id, status="queued")
    db.session.add(row)
    db.session.commit()
    compute_exploration.delay(str(row.id))
    db.session.refresh(row)
    return row


def visible(identity, project_id):
    """The project's explorations, as the reader may see them (in creation order)."""
    _project(identity, project_id, "read")
    rows = Exploration.query.filter_by(project_id=project_id).order_by(
        Exploration.created).all()
    return [to_dict(row, identity) for row in rows]


def get(identity, project_id, exploration_id, action="read"):
    """One exploration of the project (404 for another project's)."""
    _project(identity, project_id, action)
    row = db.session.get(Exploration, exploration_id)
    if row is None or row.project_id != project_id:
        return None
    return row


def delete(identity, project_id, exploration_id):
    """Remove a saved exploration (its derived dataset, if any, stays published)."""
    row = get(identity, project_id, exploration_id, action="manage")
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    return True


def readable(identity, row):
    """Whether the reader may read every source table (results show their data)."""
    return all(_may_read_files(identity, s["record_id"]) for s in row.sources or [])


def to_dict(row, identity):
    """An exploration as a reader sees it; restricted sources hide the result."""
    api = current_app.config["SITE_API_URL"]
    base = f"{api}/projects/{row.project_id}/explorations/{row.id}"
    if not readable(identity, row):
        return {"id": str(row.id), "kind": row.kind, "restricted": True}
    state, message = row.status, row.message
    limit = current_app.config["CS4OD_PREVIEW_STALE_AFTER"]
    if state == "running" and time.time() - row.updated.timestamp() > limit:
        state, message = "failed", "The worker stopped; save the exploration again."
    data = {
        "id": str(row.id), "kind": row.kind, "title": row.title,
        "sources": row.sources, "spec": row.spec, "status": state, "message": message,
        "created": row.created.isoformat(), "links": {"self": base},
    }
    if state == "succeeded":
        result = dict(row.result or {})
        result.pop("svg", None)
        data["result"] = result
        if row.code:
            data["links"]["code"] = f"{base}/code.py"
        if row.kind == "chart":
            data["links"]["svg"] = f"{base}/chart.svg"
            data["links"]["png"] = f"{base}/chart.png"
    return data


# --- computing ----------------------------------------------------------------------

def _derived_dataset(row, output, report):
    """Publish the concatenated table as a dataset derived from every source."""
    from cs4od_invenio.datasets.deposit import link_into_project
    from cs4od_invenio.datasets.importer import _identity

    identity = _identity(row)
    rdm = current_rdm_records_service
    related = []
    for source in row.sources:
        record = rdm.read(system_identity, source["record_id"]).to_dict()
        doi = (record.get("pids") or {}).get("doi", {}).get("identifier")
        identifier, scheme = (doi, "doi") if doi else (record["links"]["self_html"], "url")
        if identifier not in [r["identifier"] for r in related]:
            related.append({"identifier": identifier, "scheme": scheme,
                            "relation_type": {"id": "isderivedfrom"}})
    names = ", ".join(f"{s['key']}" for s in row.sources)
    payload = {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": True},
        "metadata": {
            "resource_type": {"id": "dataset"},
            "title": row.title,
            "description": (f"<p>The rows of {names}, stacked with their columns "
                            f"aligned by name: {report['rows']:,} rows, "
                            f"{len(report['columns'])} columns.</p>"),
            "creators": _creators(row),
            "publication_date": time.strftime("%Y-%m-%d"),
            "publisher": current_app.config.get("THEME_SITENAME", "CS4OD"),
            "related_identifiers": related,
        },
    }
    key = _file_name(row.title)
    draft = rdm.create(identity, payload)
    try:
        rdm.draft_files.init_files(identity, draft.id, [{"key": key}])
        with open(output, "rb") as stream:
            rdm.draft_files.set_file_content(identity, draft.id, key, stream)
        rdm.draft_files.commit_file(identity, draft.id, key)
        record = rdm.publish(identity, draft.id)
    except Exception:
        db.session.rollback()
        rdm.delete_draft(identity, draft.id)
        raise
    link_into_project(identity, row.project_id, "datasets", record.id)
    return record.id, key


def _file_name(title):
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in title.lower())
    return ("-".join(p for p in safe.split("-") if p) or "combined")[:80] + ".csv"


def _creators(row):
    """The project's creators; else the person who made the exploration, by the name in
    their profile ("Ada Lovelace": the last word as family name); else the site."""
    project = _projects().read(system_identity, row.project_id).to_dict()
    creators = project["metadata"].get("creators")
    if creators:
        return creators
    user = db.session.get(User, row.user_id) if row.user_id else None
    name = " ".join(((user and user.user_profile or {}).get("full_name") or "").split())
    if name:
        given, _, family = name.rpartition(" ")
        person = {"type": "personal", "family_name": family}
        return [{"person_or_org": {**person, "given_name": given} if given else person}]
    return [{"person_or_org": {"type": "organizational",
                               "name": current_app.config.get("THEME_SITENAME", "CS4OD")}}]


def _concat_code(row):
    names = [s["key"] for s in row.sources]
    return (
        '"""Stack tables with their columns aligned by name (CS4OD concatenation)."""\n'
        "import sys\n\nimport pandas as pd\n\n"
        f"inputs = sys.argv[1:-1] or {names!r}\n"
        "output = sys.argv[-1] if len(sys.argv) > 2 else 'combined.csv'\n"
        "frames = [pd.read_csv(path, sep=None, engine='python') for path in inputs]\n"
        "pd.concat(frames, ignore_index=True, sort=False).to_csv(output, index=False)\n"
    )


def compute(exploration_id):
    """Compute an exploration now; the row ends succeeded or failed with a reason."""
    row = db.session.get(Exploration, exploration_id)
    if row is None or row.status == "succeeded":
        return row
    row.status, row.message = "running", None
    row.attempts = (row.attempts or 0) + 1
    db.session.commit()
    folders = []
    try:
        paths = []
        for source in row.sources:
            record = RDMRecord.pid.resolve(source["record_id"])
            path, folder = _local_path(record, source["key"])
            paths.append(path)
            folders.append(folder)
        names = [s["key"] for s in row.sources]
        if row.kind == "chart":
            chart = build_chart(paths[0], row.spec, name=names[0])
            row.code = chart.pop("code")
            chart["svg"] = render(chart["vega_lite"], "svg").decode("utf-8")
            row.result = chart
        elif row.kind == "analysis":
            analysis = run_analysis(paths[0], row.spec)
            row.code = analysis.pop("code")
            row.result = analysis
        else:
            work = tempfile.mkdtemp(prefix="cs4od-concat-")
            folders.append(work)
            output = os.path.join(work, "combined.csv")
            report = concatenate(paths, output, names=names)
            record_id, key = _derived_dataset(row, output, report)
            row.code = _concat_code(row)
            row.result = {"report": report, "record_id": record_id, "key": key}
        row.status = "succeeded"
    except TabularError as error:
        db.session.rollback()
        row.status, row.message, row.result = "failed", error.message, None
    except OSError:
        db.session.rollback()
        row.status = "queued"
        db.session.commit()
        raise
    except Exception as error:  # a bug must not leave the exploration "running"
        db.session.rollback()
        current_app.logger.exception("exploration %s failed", exploration_id)
        row.status, row.result = "failed", None
        row.message = f"The {row.kind} could not be made ({type(error).__name__})."
    finally:
        for folder in folders:
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
    db.session.commit()
    return row
