"""A project's reana.yaml (generated or edited), its validation, bundle and runs, on
the local runner or on the configured REANA server with the user's access token."""

import datetime
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from flask import current_app
from invenio_db import db
from invenio_records_resources.proxies import current_service_registry
from marshmallow import ValidationError

from .bundle import unpack_bundle, write_bundle
from .models import ReanaSpec, ReanaToken, ReproducibleRun
from .project import describe
from .runner import ACTIVE
from .spec import WORKFLOW_TYPES, SpecError, build_spec

RUNNERS = ("local", "reana")
TOKEN_SET_AGAIN = "set a valid one under \"REANA access token\" and run again"


def _require(identity, project_id, action):
    projects = current_service_registry.get("projects")
    record = projects.record_cls.pid.resolve(project_id)
    projects.require_permission(identity, action, record=record)


def reana_server():
    """The configured REANA server's URL, or None (runs use the local runner)."""
    return current_app.config.get("CS4OD_REANA_SERVER_URL") or None


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
        project_id=project_id, workflow="serial")


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
            {"workflow": [f"Choose one of: {', '.join(WORKFLOW_TYPES)}."]})
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


# --- REANA access tokens ------------------------------------------------------------

def token_status(user_id):
    """Whether the user has a REANA access token, and since when (never the token,
    which is not even decrypted here)."""
    row = None
    if user_id is not None:
        row = db.session.query(ReanaToken.created, ReanaToken.updated).filter_by(
            user_id=user_id).first()
    return {
        "server": reana_server(),
        "set": row is not None,
        "created": row.created.isoformat() if row else None,
        "updated": row.updated.isoformat() if row else None,
    }


def set_token(user_id, token):
    """Keep (or replace) the user's REANA access token, encrypted."""
    if not reana_server():
        raise ValidationError({"token": ["No REANA server is configured here."]})
    token = token.strip() if isinstance(token, str) else ""
    if not token or len(token) > 1024 or any(c.isspace() for c in token):
        raise ValidationError(
            {"token": ["Give the access token REANA shows on your profile page."]})
    # Replaced without reading the old one (it may no longer decrypt).
    replaced = ReanaToken.query.filter_by(user_id=user_id).update(
        {"token": token, "updated": datetime.datetime.now(datetime.timezone.utc)})
    if not replaced:
        db.session.add(ReanaToken(user_id=user_id, token=token))
    db.session.commit()
    return token_status(user_id)


def remove_token(user_id):
    """Forget the user's REANA access token."""
    ReanaToken.query.filter_by(user_id=user_id).delete()
    db.session.commit()
    return token_status(user_id)


class _NoToken(Exception):
    """The run's user has no usable REANA access token."""


def _token(user_id):
    """The user's REANA access token, decrypted, or None when there is none."""
    if user_id is None:
        return None
    try:
        return db.session.query(ReanaToken.token).filter_by(user_id=user_id).scalar()
    except ValueError:  # encrypted with another SECRET_KEY
        db.session.rollback()
        raise _NoToken("Your stored REANA access token can no longer be read (the"
                       " site's secret key changed): set it again.") from None


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
            {"runner": ["No REANA server is configured here; run on the local runner."]})
    if runner == "reana" and not token_status(user_id)["set"]:
        raise ValidationError({"token": [
            "Set your REANA access token first (REANA shows it on your profile page)."]})
    spec, _text, _generated, problem = specification(identity, project_id)
    if spec is None:
        raise ValidationError({"reana_yaml": [problem]})
    row = ReproducibleRun(project_id=project_id, state="queued", runner=runner,
                          user_id=user_id)
    db.session.add(row)
    db.session.commit()
    run_project.delay(str(row.id))
    db.session.refresh(row)
    return row


def _record(row, status):
    """Copy a runner's status into the run's row."""
    row.state = status["state"]
    row.message = status.get("message") or status.get("warning") or None
    row.outputs = status.get("outputs")
    row.log_tail = status.get("log_tail") or row.log_tail
    if status.get("workflow"):
        row.workflow = status["workflow"]


def _fail(row, message):
    row.state, row.message = "failed", message
    db.session.commit()
    return row


def _workspace(row):
    """Lay out the run's working directory from the project's bundle (every file in)."""
    spec, text, _generated, problem = specification(_system(), row.project_id)
    if spec is None:
        raise SpecError(problem)
    workdir = Path(row.workdir)
    with tempfile.TemporaryDirectory(prefix="cs4od-bundle-") as tmp:
        archive = Path(tmp) / "bundle.zip"
        write_bundle(spec, archive, reana_yaml=text, max_file_size=sys.maxsize)
        workdir.mkdir(parents=True, exist_ok=True)
        unpack_bundle(archive, workdir)
    return workdir


def execute(run_id):
    """Lay out the workspace and run it here, or submit it to REANA (then polled by
    ``poll_reana``); the row ends with its state, or is left to the poller."""
    from .runner import Limits, LocalRun, read_status

    row = db.session.get(ReproducibleRun, run_id)
    if row is None or row.state not in ACTIVE:
        return row
    base = Path(current_app.config["CS4OD_RUNS_PATH"])
    row.workdir, row.state = str(base / str(row.id)), "pending"
    db.session.commit()
    try:
        workdir = _workspace(row)
        if row.runner == "reana":
            return _submit(row, workdir)
        limits = Limits(timeout=current_app.config["CS4OD_RUN_TIME_LIMIT"])
        run = LocalRun(workdir, limits=limits)
        row.state = "running"
        db.session.commit()
        run.run()
        _record(row, {**read_status(workdir), "log_tail": run.log_tail()})
    except Exception as error:  # the run ends failed with a reason, never "running"
        db.session.rollback()
        current_app.logger.exception("run %s failed", run_id)
        row.state, row.message = "failed", str(error) or type(error).__name__
    db.session.commit()
    return row


def _client(row):
    from .reana import ReanaClient

    token = _token(row.user_id)
    if not token:
        raise _NoToken()
    return ReanaClient(reana_server(), token,
                       timeout=current_app.config["CS4OD_REANA_TIMEOUT"])


def _submit(row, workdir):
    """Create the workflow on REANA, upload its inputs and start it."""
    from .reana import ACCESS_TOKEN, UNREACHABLE, ReanaError, ReanaRun, workflow_name
    from .runner import read_status
    from .tasks import poll_reana_run

    if not reana_server():
        return _fail(row, "No REANA server is configured here any more.")
    try:
        client = _client(row)
        client.ping()
    except _NoToken as error:
        return _fail(row, str(error) or "No REANA access token is set: set yours and run"
                                        " again.")
    except ReanaError as error:
        if error.kind == ACCESS_TOKEN:
            return _fail(row, f"REANA refused your access token: {TOKEN_SET_AGAIN}.")
        if error.kind == UNREACHABLE:
            return _fail(row, f"{error.message}; nothing was sent, run again later.")
        return _fail(row, error.message)
    run = ReanaRun(workdir, client, name=workflow_name(f"cs4od-{row.project_id}"),
                   timeout=current_app.config["CS4OD_REANA_RUN_TIME_LIMIT"])
    run.start()
    _record(row, {**read_status(workdir), "log_tail": run.log_tail()})
    db.session.commit()
    if row.state in ACTIVE:
        poll_reana_run.delay(str(row.id))
    return row


def poll_reana(run_id):
    """Follow a run on REANA for a while (``CS4OD_REANA_POLL_SLICE`` seconds): its
    state, then its log and outputs. True when it is still under way."""
    from .reana import ReanaRun

    row = db.session.get(ReproducibleRun, run_id)
    if row is None or row.runner != "reana" or row.state not in ACTIVE:
        return False
    config = current_app.config
    try:
        run = ReanaRun.resume(row.workdir, _client(row))
    except _NoToken as error:
        _fail(row, str(error) or (
            f"The REANA access token was removed while the run was under way:"
            f" CS4OD cannot follow {row.workflow or 'it'} on REANA any more."))
        return False
    except (OSError, ValueError):
        _fail(row, "The run never reached REANA.")
        return False
    limit = config["CS4OD_REANA_RUN_TIME_LIMIT"]
    deadline = time.monotonic() + config["CS4OD_REANA_POLL_SLICE"]
    while True:
        _record(row, run.status())
        db.session.commit()
        if row.state not in ACTIVE:
            return False
        if _age(row) > limit:
            stopped = run.stop()
            if stopped["state"] not in ACTIVE + ("stopped",):
                _record(row, stopped)  # it ended on its own meanwhile
                db.session.commit()
                return False
            how = ("was stopped on REANA" if stopped["state"] == "stopped"
                   else "REANA could not be reached to stop it")
            _fail(row, f"The run took longer than its time limit of {limit:g} s and"
                       f" {how}.")
            return False
        if time.monotonic() > deadline:
            return True
        time.sleep(config["CS4OD_REANA_POLL_INTERVAL"])


def _age(row):
    created = row.created
    now = (datetime.datetime.now(created.tzinfo) if created.tzinfo
           else datetime.datetime.utcnow())
    return (now - created).total_seconds()


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
        "workflow": row.workflow,
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
