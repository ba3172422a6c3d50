"""What local runs (``runner.LocalRun``) and REANA runs (``reana.ReanaRun``) share:
REANA's states, the status file in the working directory and the log's tail.

Every change of a run's status is written to ``.cs4od-run/status.json`` in its
working directory (``read_status`` reads it from any process); its log is
``.cs4od-run/run.log``.
"""

import datetime
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATES = (
    "created",
    "queued",
    "pending",
    "running",
    "finished",
    "failed",
    "stopped",
    "deleted",
)
ACTIVE = ("queued", "pending", "running")
RUN_DIR = ".cs4od-run"
STEP_MARK = "[cs4od] step "


def now():
    """The current time as an ISO string (UTC, seconds)."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def read_status(workdir):
    """The last status written by a run in ``workdir`` (None if there was none)."""
    path = Path(workdir) / RUN_DIR / "status.json"
    return json.loads(path.read_text()) if path.is_file() else None


def declared_outputs(spec):
    """The output files and directories a reana.yaml (as a dict) declares."""
    outputs = spec.get("outputs") if isinstance(spec, dict) else None
    if not isinstance(outputs, dict):
        return []
    return [
        str(p)
        for p in (outputs.get("files") or []) + (outputs.get("directories") or [])
    ]


class RecordedRun:
    """A run whose status lives in ``self._status`` and in its status file.

    Subclasses may set ``log_lines`` (default length of ``log_tail``) and define
    ``start()``, ``wait()``, ``status()`` and ``_halt()`` (ends the run: the fields to
    record, or None when it could not be ended).
    """

    log_lines = 40

    def __init__(self, workdir, recorded=None, **fields):
        """A new run's status (state "created", with ``fields``) written in
        ``workdir``, or the status ``recorded`` there before."""
        self.workdir = Path(workdir).resolve()
        self.run_dir = self.workdir / RUN_DIR
        self.log_path = self.run_dir / "run.log"
        if recorded is not None:
            self._status = recorded
            return
        self._status = {
            "state": "created",
            "message": "",
            "created": now(),
            "started": None,
            "finished": None,
            "exit_code": None,
            "outputs": {"present": [], "missing": []},
            **fields,
        }
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._write()

    def _write(self):
        path = self.run_dir / "status.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._status, indent=2))
        tmp.replace(path)

    def _set(self, state, message=None, **fields):
        assert state in STATES
        self._status.update(state=state, **fields)
        self._status.pop("warning", None)
        if message is not None:
            self._status["message"] = message
        if state in ("finished", "failed", "stopped") and not self._status["finished"]:
            self._status["finished"] = now()
        self._write()

    @property
    def state(self):
        """The run's state."""
        return self._status["state"]

    def log_tail(self, lines=None):
        """The last lines of the run's log."""
        if not self.log_path.is_file():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-(lines or self.log_lines) :])

    def run(self):
        """Start and wait: the whole run in the calling process."""
        return self.start().wait()

    def stop(self):
        """Stop a run under way; state "stopped"."""
        if self.state not in ACTIVE:
            return self.status()
        fields = self._halt()
        if fields is None:
            return self.status()
        self._set("stopped", "stopped by request", **fields)
        return self.status()
