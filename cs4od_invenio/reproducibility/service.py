"""A project's reana.yaml (generated or edited), its validation, bundle and runs."""

import os
import shutil
import tempfile
from pathlib import Path

from flask import current_app
from invenio_db import db
from invenio_records_resources.proxies import current_service_registry
from marshmallow import ValidationError

from .bundle import unpack_bundle, write_bundle
from .models import ReanaSpec, ReproducibleRun
from .project import describe
from .spec import SpecError, build_spec


def _require(identity, project_id, action):
    projects = current_service_registry.get("projects")
    record = projects.record_cls.pid.resolve(project_id)
    projects.require_permission(identity, action, record=record)


def specification(identity, project_id):
    """``(Specification or None, text, generated, problem)`` of the project."""
    _require(identity, project_id, "read")
    try:
        spec = build_spec(describe(project_id))
    except SpecError as error:
        spec, problem = None, str(error)
    else:
        problem = None
    saved = db.session.get(ReanaSpec, project_id)
    if saved is not None:
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


def save(identity, project_id, text):
    """Save an edited reana.yaml if it has no error; ``ValidationError`` lists them."""
    _require(identity, project_id, "manage")
    result = validate(identity, project_id, text)
    errors = [p for p in result["problems"] if p["level"] == "error"]
    if errors:
        raise ValidationError({"reana_yaml": [p["message"] for p in errors]})
    row = db.session.get(ReanaSpec, project_id) or ReanaSpec(project_id=project_id)
    row.text = text
    db.session.add(row)
    db.session.commit()
    return result


def reset(identity, project_id):
    """Forget the edited reana.yaml: the generated one applies again."""
    _require(identity, project_id, "manage")
    ReanaSpec.query.filter_by(project_id=project_id).delete()
    db.session.commit()


def bundle(identity, project_id, target):
    """Write the project's reproducible bundle (zip) to ``target``."""
    spec, text, _generated, problem = specification(identity, project_id)
    if spec is None:
        raise ValidationError({"reana_yaml": [problem]})
    return write_bundle(spec, target, reana_yaml=text, title=None)


def start_run(identity, project_id):
    """Queue a run of the project's reana.yaml on the local runner; returns its row."""
    from .tasks import run_project

    _require(identity, project_id, "manage")
    spec, text, _generated, problem = specification(identity, project_id)
    if spec is None:
        raise ValidationError({"reana_yaml": [problem]})
    row = ReproducibleRun(project_id=project_id, state="queued",
                          user_id=identity.id if isinstance(identity.id, int) else None)
    db.session.add(row)
    db.session.commit()
    run_project.delay(str(row.id))
    db.session.refresh(row)
    return row


def execute(run_id):
    """Lay out the workspace from the bundle and run it; the row ends with its state."""
    from .runner import LocalRun, Limits, read_status

    row = db.session.get(ReproducibleRun, run_id)
    base = Path(current_app.config["CS4OD_RUNS_PATH"])
    workdir = base / str(row.id)
    row.workdir, row.state = str(workdir), "pending"
    db.session.commit()
    try:
        spec, text, _generated, problem = specification(
            _system(), row.project_id)
        if spec is None:
            raise SpecError(problem)
        with tempfile.TemporaryDirectory(prefix="cs4od-bundle-") as tmp:
            archive = Path(tmp) / "bundle.zip"
            write_bundle(spec, archive, reana_yaml=text)
            workdir.mkdir(parents=True, exist_ok=True)
            unpack_bundle(archive, workdir)
        limits = Limits(timeout=current_app.config["CS4OD_RUN_TIME_LIMIT"])
        run = LocalRun(workdir, limits=limits)
        row.state = "running"
        db.session.commit()
        run.run()
        status = read_status(workdir)
        row.state, row.message = status["state"], status.get("message")
        row.outputs = status.get("outputs")
        row.log_tail = run.log_tail()
    except Exception as error:  # the run ends failed with a reason, never "running"
        db.session.rollback()
        current_app.logger.exception("run %s failed", run_id)
        row.state, row.message = "failed", str(error) or type(error).__name__
    db.session.commit()
    return row


def _system():
    from invenio_access.permissions import system_identity

    return system_identity


def runs(identity, project_id):
    """The project's runs, newest first."""
    _require(identity, project_id, "read")
    return ReproducibleRun.query.filter_by(project_id=project_id).order_by(
        ReproducibleRun.created.desc()).all()


def run_dict(row):
    """A run as users see it."""
    api = current_app.config["SITE_API_URL"]
    base = f"{api}/projects/{row.project_id}/runs/{row.id}"
    outputs = row.outputs or {"present": [], "missing": []}
    return {
        "id": str(row.id), "runner": row.runner, "state": row.state,
        "message": row.message, "outputs": outputs, "log": row.log_tail,
        "created": row.created.isoformat(), "updated": row.updated.isoformat(),
        "links": {"self": base, "outputs": {p: f"{base}/files/{p}"
                                             for p in outputs.get("present", [])}},
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
