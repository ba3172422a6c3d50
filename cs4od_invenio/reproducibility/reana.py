"""Runs of a reana.yaml on a REANA server (``ReanaClient`` in ``reana_client.py``).

Runs, local or on REANA, have one interface (``LocalRun`` in ``runner.py`` and
``ReanaRun`` here):

- ``start()`` submits and returns at once; ``wait()`` polls until the run ends;
  ``run()`` is both; ``stop()`` and ``delete()`` end it; each returns ``status()``
  but ``start()``, which returns the run.
- ``status()`` is a dict with ``state`` (REANA's: created, queued, pending, running,
  finished, failed, stopped, deleted), ``message`` (why it failed or stopped),
  ``created``/``started``/``finished`` (ISO times), ``outputs`` (declared outputs
  ``present`` and ``missing`` in the working directory) and ``log_tail``. It is also
  written to ``.cs4od-run/status.json`` in the working directory, so another process
  reads it with ``runs.read_status(workdir)``; the log is ``.cs4od-run/run.log``.
  ``ReanaRun.resume(workdir, client)`` takes a REANA run up in another process (a
  Celery task polling it); the token is never written there.
- A finished run has every declared output in its working directory; a declared output
  that was not made fails the run with "output PATH was not produced".
"""

import json
import re
import time
from pathlib import Path

import yaml

from .reana_client import (
    ACCESS_TOKEN,
    NOT_FOUND,
    OUTPUT_MISSING,
    UNREACHABLE,
    ReanaClient,
    ReanaError,
)
from .runs import ACTIVE, RUN_DIR, STEP_MARK, RecordedRun, declared_outputs


def workflow_name(text):
    """A REANA workflow name from any text: letters, digits, ``-`` and ``_``."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", str(text)).strip("-")[:64]
    return name or "workflow"


def _declared_outputs(spec_path):
    try:
        spec = yaml.safe_load(Path(spec_path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    return declared_outputs(spec)


class ReanaRun(RecordedRun):
    """One run of a working directory's reana.yaml on REANA, with ``LocalRun``'s
    interface and status (see the module's docstring)."""

    def __init__(
        self,
        workdir,
        client,
        name=None,
        spec_file="reana.yaml",
        poll=5.0,
        timeout=3600,
        _recorded=None,
    ):
        """``name`` defaults to the working directory's; ``timeout`` (seconds) bounds
        ``wait()``: a run still going then is stopped and failed."""
        super().__init__(
            workdir,
            _recorded,
            runner="reana",
            server=client.server_url,
            workflow=None,
            progress=None,
        )
        self.client = client
        self.name = workflow_name(name or self.workdir.name)
        self.spec_file = spec_file
        self.poll = poll
        self.timeout = timeout
        self._outputs = _declared_outputs(self.workdir / spec_file)

    @classmethod
    def resume(cls, workdir, client, **options):
        """The run recorded in ``workdir`` (e.g. started by another worker)."""
        path = Path(workdir) / RUN_DIR / "status.json"
        recorded = json.loads(path.read_text()) if path.is_file() else {}
        if recorded.get("runner") != "reana" or not recorded.get("workflow"):
            raise ValueError(f"{workdir} holds no REANA run")
        name = recorded["workflow"].rsplit(".", 1)[0]
        return cls(workdir, client, name=name, _recorded=recorded, **options)

    @property
    def workflow(self):
        """REANA's name of the run (``name.N``), once submitted."""
        return self._status["workflow"]

    def status(self):
        """The run's status (asks REANA while the run is under way)."""
        if self.state in ACTIVE and self.workflow:
            self._refresh()
        return {**self._status, "log_tail": self.log_tail()}

    # life cycle -------------------------------------------------------------------
    def start(self):
        """Submit to REANA (create, upload, start); a refusal ends in "failed"."""
        if self.state != "created":
            raise RuntimeError(f"a {self.state} run cannot be started")
        self._set("queued")
        try:
            workflow = self.client.submit(self.workdir, self.name, self.spec_file)
        except ReanaError as error:
            self._set("failed", error.message, workflow=error.workflow)
            return self
        self._set("queued", workflow=workflow)
        self._started_at = time.monotonic()
        return self

    def wait(self, poll=None):
        """Poll REANA until the run ends (stopping it past the time limit)."""
        started = getattr(self, "_started_at", time.monotonic())
        while self.state in ACTIVE:
            self.status()
            if self.state not in ACTIVE:
                break
            if time.monotonic() - started > self.timeout:
                how = "was stopped" if self._stop_remote() else "could not be stopped"
                self._set(
                    "failed",
                    f"the run took longer than its time limit of {self.timeout:g} s"
                    f" and {how}",
                )
                break
            time.sleep(poll or self.poll)
        return self.status()

    def _halt(self):
        """Stop the run on REANA (``stop()``); None when it could not be stopped."""
        return {} if self._stop_remote() else None

    def delete(self):
        """Stop if needed and delete the run on REANA; local files stay."""
        self.stop()
        if self.workflow:
            try:
                self.client.delete(self.workflow)
            except ReanaError as error:
                self._status["warning"] = error.message
                self._write()
                return self.status()
        self._set("deleted", "workflow deleted on REANA")
        return self.status()

    # internals --------------------------------------------------------------------
    def _stop_remote(self):
        """Stop on REANA; False when it had ended already (then the status says how)."""
        if not self.workflow:
            return True
        try:
            self.client.stop(self.workflow)
            return True
        except ReanaError as error:
            if error.state is None and error.kind in (UNREACHABLE, ACCESS_TOKEN):
                self._status["warning"] = error.message
                self._write()
                return False
            self._refresh()
            return self.state in ACTIVE

    def _refresh(self):
        try:
            remote = self.client.status(self.workflow)
        except ReanaError as error:
            if error.kind == NOT_FOUND:
                self._set(
                    "failed", f"the workflow is no longer on REANA ({error.message})"
                )
            elif error.state is None:
                # REANA out of reach: the run may well go on; ask again later.
                self._status["warning"] = error.message
                self._write()
            else:
                self._set("failed", error.message)
            return
        fields = {"progress": remote["progress"]}
        if remote["started"]:
            fields["started"] = remote["started"]
        state = remote["state"]
        if state in ACTIVE:
            self._set(state, **fields)
            return
        self._save_log()
        if state == "finished":
            outputs = self._fetch_outputs()
            if outputs is None:
                return
            missing = outputs["missing"]
            if missing:
                message = "; ".join(f"output {p} was not produced" for p in missing)
                self._set("failed", message, outputs=outputs, **fields)
            else:
                self._set("finished", "", outputs=outputs, **fields)
        elif state == "failed":
            self._set("failed", remote["message"] or "the workflow failed", **fields)
        elif state == "stopped":
            self._set(
                "stopped", self._status["message"] or "stopped on REANA", **fields
            )
        else:
            self._set(state, f"the workflow was {state} on REANA", **fields)

    def _fetch_outputs(self):
        present, missing = [], []
        for path in self._outputs:
            try:
                self.client.download(self.workflow, path, self.workdir)
                present.append(path)
            except ReanaError as error:
                if error.kind != OUTPUT_MISSING:
                    self._status["warning"] = error.message
                    self._write()
                    return None
                missing.append(path)
        return {"present": present, "missing": missing}

    def _save_log(self):
        try:
            logs = self.client.logs(self.workflow)
        except ReanaError:
            return
        lines = []
        if logs.get("workflow_logs"):
            lines.append(str(logs["workflow_logs"]))
        for job in (logs.get("job_logs") or {}).values():
            lines.append(f"{STEP_MARK}{job.get('job_name', '')}")
            lines.append(job.get("logs") or "")
        self.log_path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_on_reana(
    workdir, server_url, token, name=None, *, program=None, poll=5.0, timeout=3600
):
    """Run a working directory's reana.yaml on REANA and wait: the status, as
    ``LocalRun(workdir).run()`` gives it."""
    client = ReanaClient(server_url, token, program=program)
    return ReanaRun(workdir, client, name=name, poll=poll, timeout=timeout).run()
