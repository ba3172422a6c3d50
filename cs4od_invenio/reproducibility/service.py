"""A project's reana.yaml (generated or edited), its validation and bundle, and its
runs as users ask for them (a Celery worker carries them out: ``execution.py``)."""

import os
import shutil
from pathlib import Path

from flask import current_app
from invenio_db import db
from invenio_records_resources.proxies import current_service_registry
from marshmallow import ValidationError

from .bundle import write_bundle
from .models import ReanaSpec, ReproducibleRun
from .project import describe
from .spec import WORKFLOW_TYPES, SpecError, build_spec
from .tokens import reana_server, token_status

RUNNERS = ("local", "reana")


def _require(identity, project_id, action):
    projects = current_service_registry.get("projects")
    record = projects.record_cls.pid.resolve(project_id)
    projects.require_permission(identity, action, record=record)


def workflow_type(project_id):
    """The workflow type the project's reana.yaml is generated with."""
    saved = db.session.get(ReanaSpec, project_id)
    return saved.workflow if saved is not None else "serial"


def specification(identity, project_id):
    """``(Specification or None, text, generated, problem)`` of the project."""
    _require(identity, project_id, "read")
    saved = db.session.get(ReanaSpec, project_id)
    try:
        spec = build_spec(describe(project_id, workflow_type(project_id)))
    except SpecError as error:
        spec, problem = None, str(error)
    else:
        problem = None
    if saved is not None and saved.text is not None:
        return spec, saved.text, False, problem
    return spec, spec.yaml() if spec else "", True, problem


def _files(spec):
    """The workspace files of a specification (for validation), by path."""
    files = dict(spec.generated) if spec else {}
    for path, source in (spec.sources.items() if spec else []):
        if source.get("path") and os.path.isfile(source["path"]):
            files[path] = Path(source["path"]).read_bytes()
    return files


def validate(identity, project_id, text):
    """reana-client's verdict (and CS4OD's checks) on ``text`` with the project's files."""
    from .validate import validate_spec

    spec, _text, _generated, _problem = specification(identity, project_id)
    return validate_spec(text, files=_files(spec)).as_dict()


def _settings(project_id):
    return db.session.get(ReanaSpec, project_id) or ReanaSpec(
        project_id=project_id, workflow="serial"
    )


def save(identity, project_id, text):
    """Save an edited reana.yaml if it has no error; ``ValidationError`` lists them."""
    _require(identity, project_id, "manage")
    result = validate(identity, project_id, text)
    errors = [p for p in result["problems"] if p["level"] == "error"]
    if errors:
        raise ValidationError({"reana_yaml": [p["message"] for p in errors]})
    row = _settings(project_id)
    row.text = text
    db.session.add(row)
    db.session.commit()
    return result


def set_workflow_type(identity, project_id, workflow):
    """Choose the workflow type (``serial`` or ``cwl``) of the generated reana.yaml."""
    _require(identity, project_id, "manage")
    if workflow not in WORKFLOW_TYPES:
        raise ValidationError(
            {"workflow": [f"Choose one of: {', '.join(WORKFLOW_TYPES)}."]}
        )
    row = _settings(project_id)
    row.workflow = workflow
    db.session.add(row)
    db.session.commit()


def reset(identity, project_id):
    """Forget the edited reana.yaml: the generated one applies again."""
    _require(identity, project_id, "manage")
    row = db.session.get(ReanaSpec, project_id)
    if row is not None:
        row.text = None
    db.session.commit()


def bundle(identity, project_id, target):
    """Write the project's reproducible bundle (zip) to ``target``."""
    spec, text, _generated, problem = specification(identity, project_id)
    if spec is None:
        raise ValidationError({"reana_yaml": [problem]})
    return write_bundle(spec, target, reana_yaml=text, title=None)


# --- runs ---------------------------------------------------------------------------


def start_run(identity, project_id, runner=None):
    """Queue a run of the project's reana.yaml; returns its row.

    ``runner`` is ``local`` or ``reana`` (default: REANA when a server is configured).
    Nothing is stored when the run cannot start (no server, no token, no reana.yaml).
    """
    from .tasks import run_project

    _require(identity, project_id, "manage")
    runner = runner or ("reana" if reana_server() else "local")
    user_id = identity.id if isinstance(identity.id, int) else None
    if runner not in RUNNERS:
        raise ValidationError({"runner": [f"Choose one of: {', '.join(RUNNERS)}."]})
    if runner == "reana" and not reana_server():
        raise ValidationError(
            {"runner": ["No REANA server is configured here; run on the local runner."]}
        )
    if runner == "reana" and not token_status(user_id)["set"]:
        raise ValidationError(
            {
                "token": [
                    "Set your REANA access token first (REANA shows it on your profile page)."
                ]
            }
        )
    spec, _text, _generated, problem = specification(identity, project_id)
    if spec is None:
        raise ValidationError({"reana_yaml": [problem]})
    row = ReproducibleRun(
        project_id=project_id, state="queued", runner=runner, user_id=user_id
    )
    db.session.add(row)
    db.session.commit()
    run_project.delay(str(row.id))
    db.session.refresh(row)
    return row


def runs(identity, project_id):
    """The project's runs, newest first."""
    _require(identity, project_id, "read")
    return (
        ReproducibleRun.query.filter_by(project_id=project_id)
        .order_by(ReproducibleRun.created.desc())
        .all()
    )


def run_dict(row):
    """A run as users see it."""
    api = current_app.config["SITE_API_URL"]
    base = f"{api}/projects/{row.project_id}/runs/{row.id}"
    outputs = row.outputs or {"present": [], "missing": []}
    return {
        "id": str(row.id),
        "runner": row.runner,
        "state": row.state,
        "message": row.message,
        "outputs": outputs,
        "log": row.log_tail,
        "workflow": row.workflow,
        "created": row.created.isoformat(),
        "updated": row.updated.isoformat(),
        "links": {
            "self": base,
            "outputs": {p: f"{base}/files/{p}" for p in outputs.get("present", [])},
        },
    }


def output_file(identity, project_id, run_id, path):
    """The local path of a run's output file (only declared outputs that exist)."""
    _require(identity, project_id, "read")
    row = db.session.get(ReproducibleRun, run_id)
    if row is None or row.project_id != project_id:
        return None
    if path not in (row.outputs or {}).get("present", []):
        return None
    return Path(row.workdir) / path


def remove_workdir(row):
    """Delete a run's working directory (its outputs go with it)."""
    if row.workdir:
        shutil.rmtree(row.workdir, ignore_errors=True)
