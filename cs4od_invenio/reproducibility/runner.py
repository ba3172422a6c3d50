"""Local runner of reana.yaml workflows, for when no REANA server is configured.

It runs the same specification as REANA would, in the run's own working directory,
as one bash script (``workflow.script``). Programs come from the runner's own virtual
environment (``CS4OD_RUNNER_VENV``, default ``<repo>/.venv-runner``: papermill,
ipykernel, cwltool, pandas, matplotlib); there are no containers, but by default the
workflow runs in a bubblewrap sandbox (``sandbox.py``: its working directory, the
programs it needs, no network).

The workflow is one process group, started in a new session with resource limits
(CPU seconds, address space, file size) and under coreutils' ``timeout``, so the time
limit holds even when nobody waits for it. Its environment is built from scratch: the
web or worker process's variables (secrets, database URLs) are not passed on.

States are REANA's: created, queued, pending, running, finished, failed, stopped,
deleted. Every change is written to ``.cs4od-run/status.json`` in the working
directory (``runs.read_status`` reads it from any process); the output of the commands
goes to ``.cs4od-run/run.log``.
"""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .runs import (
    ACTIVE,
    ROOT,
    RUN_DIR,
    STEP_MARK,
    RecordedRun,
    declared_outputs,
    now,
    read_status,
)
from .sandbox import SandboxError, wrap
from .workflow import RunError, load_spec, script

TIMEOUT_EXIT = 124  # what coreutils' timeout exits with when the time is up


@dataclass
class Limits:
    """Resource limits of a run (seconds and bytes)."""

    timeout: float = 3600
    cpu_seconds: int = 3600
    memory: int = 4 * 1024**3
    file_size: int = 2 * 1024**3
    log_lines: int = 40


def runner_venv():
    """The runner's environment: ``CS4OD_RUNNER_VENV`` or ``<repo>/.venv-runner``."""
    return Path(os.environ.get("CS4OD_RUNNER_VENV") or ROOT / ".venv-runner")


def stop_run(workdir):
    """Stop a run from any process (the one that started it may be a worker)."""
    status = read_status(workdir)
    if not status or status["state"] not in ACTIVE:
        return status
    if status["state"] == "running" and status.get("pgid"):
        _kill_group(status["pgid"])
    status.update(state="stopped", message="stopped by request", finished=now())
    path = Path(workdir) / RUN_DIR / "status.json"
    tmp = path.with_suffix(".stop")
    tmp.write_text(json.dumps(status, indent=2))
    tmp.replace(path)
    return status


class LocalRun(RecordedRun):
    """One run of a reana.yaml in a working directory holding its input files."""

    def __init__(self, workdir, spec=None, limits=None, venv=None, sandbox="bwrap"):
        """Prepare a run; ``spec`` is the reana.yaml as a dict or text (default: the
        workdir's reana.yaml); ``sandbox`` one of ``sandbox.SANDBOXES``."""
        self.spec = spec
        self.limits = limits or Limits()
        self.venv = Path(venv) if venv else runner_venv()
        self.sandbox = sandbox
        self.process = None
        super().__init__(
            workdir, pgid=None, limits=asdict(self.limits), sandbox=sandbox
        )

    def status(self):
        """State, message, times, exit code, outputs present/missing and log tail."""
        if self.process is not None and self.state == "running":
            self._poll()
        return {**self._status, "log_tail": self.log_tail()}

    @property
    def log_lines(self):
        """How many lines ``log_tail`` gives (the limits')."""
        return self.limits.log_lines

    # life cycle -------------------------------------------------------------
    def queue(self):
        """created → queued (the run waits for a worker)."""
        if self.state != "created":
            raise RuntimeError(f"a {self.state} run cannot be queued")
        self._set("queued")

    def start(self):
        """Check the workspace and start the workflow; returns once it runs.

        A specification or workspace the runner cannot use ends in "failed" with the
        reason, without starting anything.
        """
        if self.state not in ("created", "queued"):
            raise RuntimeError(f"a {self.state} run cannot be started")
        if self.state == "created":
            self._set("queued")
        self._set("pending")
        try:
            spec = load_spec(self.workdir, self.spec)
            commands = script(spec, self.workdir, self.venv)
            command = wrap(
                ["bash", "-c", commands], self.workdir, self.venv, self.sandbox
            )
        except (RunError, SandboxError) as error:
            self._set("failed", str(error))
            return self
        self._outputs = declared_outputs(spec)
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(
                [
                    "timeout",
                    "-s",
                    "TERM",
                    "-k",
                    "10",
                    str(self.limits.timeout),
                    *command,
                ],
                cwd=self.workdir,
                env=self._environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=self._limit_resources,
            )
        finally:
            log.close()
        self._started_at = time.monotonic()
        self._set("running", "", started=now(), pgid=self.process.pid)
        return self

    def wait(self, poll=0.2):
        """Wait until the run ends (enforcing the time limit); return its status."""
        while self.state == "running":
            self._poll()
            if self.state == "running":
                time.sleep(poll)
        return self.status()

    def _halt(self):
        """End the whole process group (``stop()``)."""
        if self.process is not None and self.process.poll() is None:
            _kill_group(self.process.pid)
            self.process.wait()
        return {"exit_code": self._exit_code()}

    def delete(self):
        """Stop if needed and remove the workspace; only the status stays."""
        self.stop()
        for entry in self.workdir.iterdir():
            if entry.name == RUN_DIR:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        self._set("deleted", "workspace deleted")

    # internals --------------------------------------------------------------
    def _exit_code(self):
        return None if self.process is None else self.process.returncode

    def _poll(self):
        code = self.process.poll()
        if code is None:
            # Backstop for the timeout wrapper (it kills after timeout + 10 s).
            if time.monotonic() - self._started_at > self.limits.timeout + 30:
                _kill_group(self.process.pid)
                self.process.wait()
                self._fail_timeout()
            return
        if self.state != "running":
            return
        if (read_status(self.workdir) or {}).get("state") == "stopped":
            # stop_run() from another process: keep its word.
            self._status = {**read_status(self.workdir), "exit_code": code}
            self._write()
            return
        if code == TIMEOUT_EXIT or (code != 0 and self._overdue()):
            self._fail_timeout()
        elif code != 0:
            step = self._last_step()
            where = f"step {step}" if step else "the workflow"
            reason = _describe(code, self.limits)
            self._set("failed", f"{where} failed ({reason})", exit_code=code)
        else:
            self._check_outputs(code)

    def _overdue(self):
        return time.monotonic() - self._started_at >= self.limits.timeout

    def _fail_timeout(self):
        self._set(
            "failed",
            f"the run took longer than its time limit of {self.limits.timeout:g} s"
            " and was stopped",
            exit_code=self._exit_code(),
        )

    def _check_outputs(self, code):
        present = [p for p in self._outputs if (self.workdir / p).exists()]
        missing = [p for p in self._outputs if p not in present]
        outputs = {"present": present, "missing": missing}
        if missing:
            self._set(
                "failed",
                "; ".join(f"output {p} was not produced" for p in missing),
                exit_code=code,
                outputs=outputs,
            )
        else:
            self._set("finished", "", exit_code=code, outputs=outputs)

    def _last_step(self):
        step = None
        if self.log_path.is_file():
            for line in self.log_path.read_text(errors="replace").splitlines():
                if line.startswith(STEP_MARK):
                    step = line[len(STEP_MARK) :]
        return step

    def _environment(self):
        home = self.run_dir / "home"
        tmp = self.run_dir / "tmp"
        for folder in (home, tmp):
            folder.mkdir(parents=True, exist_ok=True)
        bin_dir = self.venv / "bin"
        return {
            "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
            "VIRTUAL_ENV": str(self.venv),
            "HOME": str(home),
            "TMPDIR": str(tmp),
            "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": str(home / ".matplotlib"),
            "JUPYTER_RUNTIME_DIR": str(home / "jupyter"),
            "PYTHONNOUSERSITE": "1",
            "PYTHONUNBUFFERED": "1",
        }

    def _limit_resources(self):
        """Set in the child before it runs (``preexec_fn``)."""
        limits = self.limits
        for kind, value in (
            (resource.RLIMIT_CPU, limits.cpu_seconds),
            (resource.RLIMIT_AS, limits.memory),
            (resource.RLIMIT_FSIZE, limits.file_size),
        ):
            # Over the CPU soft limit a process gets SIGXCPU (which says why); only
            # at the hard one SIGKILL.
            soft, hard = value, value + 5 if kind == resource.RLIMIT_CPU else value
            ceiling = resource.getrlimit(kind)[1]
            if ceiling != resource.RLIM_INFINITY:
                soft, hard = min(soft, ceiling), min(hard, ceiling)
            resource.setrlimit(kind, (soft, hard))


def _describe(code, limits):
    """Why a process ended with ``code`` (negative: killed by that signal)."""
    number = -code if code < 0 else code - 128 if code > 128 else None
    reasons = {
        signal.SIGXCPU: f"CPU time limit of {limits.cpu_seconds} s reached",
        signal.SIGXFSZ: f"file size limit of {limits.file_size} bytes reached",
    }
    try:
        sig = signal.Signals(number)
    except (TypeError, ValueError):
        return f"exit {code}"
    if sig in reasons:
        return f"{reasons[sig]}, {sig.name}"
    return f"exit {code}" if code > 0 else f"killed by {sig.name}"


def _kill_group(pgid):
    for sig, pause in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + pause
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)


def main(argv=None):
    """``python -m cs4od_invenio.reproducibility.runner WORKDIR [TIMEOUT]``
    (``CS4OD_RUNNER_SANDBOX=off`` in the environment: without the sandbox)."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(main.__doc__, file=sys.stderr)
        return 2
    limits = Limits(timeout=float(argv[1])) if len(argv) > 1 else Limits()
    sandbox = os.environ.get("CS4OD_RUNNER_SANDBOX") or "bwrap"
    status = LocalRun(argv[0], limits=limits, sandbox=sandbox).run()
    print(status["log_tail"])
    print(f"{status['state']}: {status['message'] or 'all outputs produced'}")
    return 0 if status["state"] == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
