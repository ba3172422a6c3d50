"""What a Celery worker does with a queued run: lay out its working directory from the
project's bundle, then run it on the local runner, or submit it to the configured REANA
server with the user's access token and follow it there."""

import datetime
import sys
import tempfile
import time
from pathlib import Path

from flask import current_app
from invenio_db import db

from .bundle import unpack_bundle, write_bundle
from .models import ReproducibleRun
from .reana import ReanaRun, workflow_name
from .reana_client import ACCESS_TOKEN, UNREACHABLE, ReanaClient, ReanaError
from .runner import Limits, LocalRun
from .runs import ACTIVE, read_status
from .service import specification
from .spec import SpecError
from .tokens import NoToken, reana_server, token

TOKEN_SET_AGAIN = 'set a valid one under "REANA access token" and run again'


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
        config = current_app.config
        limits = Limits(timeout=config["CS4OD_RUN_TIME_LIMIT"])
        run = LocalRun(workdir, limits=limits, sandbox=config["CS4OD_RUNNER_SANDBOX"])
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
    access_token = token(row.user_id)
    if not access_token:
        raise NoToken()
    return ReanaClient(
        reana_server(), access_token, timeout=current_app.config["CS4OD_REANA_TIMEOUT"]
    )


def _submit(row, workdir):
    """Create the workflow on REANA, upload its inputs and start it."""
    from .tasks import poll_reana_run

    if not reana_server():
        return _fail(row, "No REANA server is configured here any more.")
    try:
        client = _client(row)
        client.ping()
    except NoToken as error:
        return _fail(
            row,
            str(error) or "No REANA access token is set: set yours and run" " again.",
        )
    except ReanaError as error:
        if error.kind == ACCESS_TOKEN:
            return _fail(row, f"REANA refused your access token: {TOKEN_SET_AGAIN}.")
        if error.kind == UNREACHABLE:
            return _fail(row, f"{error.message}; nothing was sent, run again later.")
        return _fail(row, error.message)
    run = ReanaRun(
        workdir,
        client,
        name=workflow_name(f"cs4od-{row.project_id}"),
        timeout=current_app.config["CS4OD_REANA_RUN_TIME_LIMIT"],
    )
    run.start()
    _record(row, {**read_status(workdir), "log_tail": run.log_tail()})
    db.session.commit()
    if row.state in ACTIVE:
        poll_reana_run.delay(str(row.id))
    return row


def poll_reana(run_id):
    """Follow a run on REANA for a while (``CS4OD_REANA_POLL_SLICE`` seconds): its
    state, then its log and outputs. True when it is still under way."""
    row = db.session.get(ReproducibleRun, run_id)
    if row is None or row.runner != "reana" or row.state not in ACTIVE:
        return False
    config = current_app.config
    try:
        run = ReanaRun.resume(row.workdir, _client(row))
    except NoToken as error:
        _fail(
            row,
            str(error)
            or (
                f"The REANA access token was removed while the run was under way:"
                f" CS4OD cannot follow {row.workflow or 'it'} on REANA any more."
            ),
        )
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
            how = (
                "was stopped on REANA"
                if stopped["state"] == "stopped"
                else "REANA could not be reached to stop it"
            )
            _fail(
                row,
                f"The run took longer than its time limit of {limit:g} s and"
                f" {how}.",
            )
            return False
        if time.monotonic() > deadline:
            return True
        time.sleep(config["CS4OD_REANA_POLL_INTERVAL"])


def _age(row):
    created = row.created
    now = (
        datetime.datetime.now(created.tzinfo)
        if created.tzinfo
        else datetime.datetime.utcnow()
    )
    return (now - created).total_seconds()


def _system():
    from invenio_access.permissions import system_identity

    return system_identity
