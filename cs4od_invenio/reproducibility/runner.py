"""Local runner of reana.yaml workflows, for when no REANA server is configured.

It runs the same specification as REANA would, in the run's own working directory:
``serial`` steps' commands one after the other with ``bash -c`` (``${parameters}``
replaced from ``inputs.parameters``, as REANA's serial engine does), ``cwl`` with
``cwltool --no-container``. Programs come from the runner's own virtual environment
(``CS4OD_RUNNER_VENV``, default ``<repo>/.venv-runner``: papermill, ipykernel, cwltool,
pandas, matplotlib); there are no containers.

The workflow is one process group, started in a new session with resource limits
(CPU seconds, address space, file size) and under coreutils' ``timeout``, so the time
limit holds even when nobody waits for it. Its environment is built from scratch: the
web or worker process's variables (secrets, database URLs) are not passed on.

States are REANA's: created, queued, pending, running, finished, failed, stopped,
deleted. Every change is written to ``.cs4od-run/status.json`` in the working
directory (``read_status`` reads it from any process); the output of the commands goes
to ``.cs4od-run/run.log``.
"""

import datetime
import json
import os
import resource
import shlex
import shutil
import signal
import string
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

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
CWL_JOB = ".cs4od-job.yml"
STEP_MARK = "[cs4od] step "
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


def _now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def read_status(workdir):
    """The last status written by a run in ``workdir`` (None if there was none)."""
    path = Path(workdir) / RUN_DIR / "status.json"
    return json.loads(path.read_text()) if path.is_file() else None


def stop_run(workdir):
    """Stop a run from any process (the one that started it may be a worker)."""
    status = read_status(workdir)
    if not status or status["state"] not in ACTIVE:
        return status
    if status["state"] == "running" and status.get("pgid"):
        _kill_group(status["pgid"])
    status.update(state="stopped", message="stopped by request", finished=_now())
    path = Path(workdir) / RUN_DIR / "status.json"
    tmp = path.with_suffix(".stop")
    tmp.write_text(json.dumps(status, indent=2))
    tmp.replace(path)
    return status


class LocalRun:
    """One run of a reana.yaml in a working directory holding its input files."""

    def __init__(self, workdir, spec=None, limits=None, venv=None):
        """Prepare a run; ``spec`` is the reana.yaml as a dict or text (default: the
        workdir's reana.yaml)."""
        self.workdir = Path(workdir).resolve()
        self.spec = spec
        self.limits = limits or Limits()
        self.venv = Path(venv) if venv else runner_venv()
        self.run_dir = self.workdir / RUN_DIR
        self.log_path = self.run_dir / "run.log"
        self.process = None
        self._status = {
            "state": "created",
            "message": "",
            "created": _now(),
            "started": None,
            "finished": None,
            "exit_code": None,
            "pgid": None,
            "outputs": {"present": [], "missing": []},
            "limits": asdict(self.limits),
        }
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._write()

    # state ------------------------------------------------------------------
    def _write(self):
        path = self.run_dir / "status.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._status, indent=2))
        tmp.replace(path)

    def _set(self, state, message=None, **fields):
        assert state in STATES
        self._status.update(state=state, **fields)
        if message is not None:
            self._status["message"] = message
        if state in ("finished", "failed", "stopped") and not self._status["finished"]:
            self._status["finished"] = _now()
        self._write()

    @property
    def state(self):
        """The run's state."""
        return self._status["state"]

    def status(self):
        """State, message, times, exit code, outputs present/missing and log tail."""
        if self.process is not None and self.state == "running":
            self._poll()
        return {**self._status, "log_tail": self.log_tail()}

    def log_tail(self, lines=None):
        """The last lines of the run's log."""
        if not self.log_path.is_file():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-(lines or self.limits.log_lines) :])

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
            spec = self._load_spec()
            script = self._script(spec)
        except RunError as error:
            self._set("failed", str(error))
            return self
        self._outputs = _declared_outputs(spec)
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
                    "bash",
                    "-c",
                    script,
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
        self._set("running", "", started=_now(), pgid=self.process.pid)
        return self

    def wait(self, poll=0.2):
        """Wait until the run ends (enforcing the time limit); return its status."""
        while self.state == "running":
            self._poll()
            if self.state == "running":
                time.sleep(poll)
        return self.status()

    def run(self):
        """Start and wait: the whole run in the calling process."""
        return self.start().wait()

    def stop(self):
        """Stop a running run (its whole process group); state "stopped"."""
        if self.state not in ACTIVE:
            return self.status()
        if self.process is not None and self.process.poll() is None:
            _kill_group(self.process.pid)
            self.process.wait()
        self._set("stopped", "stopped by request", exit_code=self._exit_code())
        return self.status()

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

    def _load_spec(self):
        spec = self.spec
        if spec is None:
            path = self.workdir / "reana.yaml"
            if not path.is_file():
                raise RunError("invalid specification: there is no reana.yaml")
            spec = path.read_text(encoding="utf-8")
        if isinstance(spec, str):
            try:
                spec = yaml.safe_load(spec)
            except yaml.YAMLError as error:
                raise RunError(f"invalid specification: not YAML ({error})") from None
        if not isinstance(spec, dict) or not isinstance(spec.get("workflow"), dict):
            raise RunError("invalid specification: it has no workflow")
        kind = spec["workflow"].get("type")
        if kind not in ("serial", "cwl"):
            raise RunError(
                f"invalid specification: the local runner runs serial and cwl"
                f" workflows, not {kind!r}"
            )
        inputs = spec.get("inputs") or {}
        for path in inputs.get("files") or []:
            if not (self.workdir / str(path)).is_file():
                raise RunError(f"input file {path} is not in the workspace")
        for path in inputs.get("directories") or []:
            if not (self.workdir / str(path)).is_dir():
                raise RunError(f"input directory {path} is not in the workspace")
        return spec

    def _script(self, spec):
        if not (self.venv / "bin" / "python").is_file():
            raise RunError(
                f"the local runner is not installed at {self.venv}"
                " (scripts/cs4od install makes it)"
            )
        workflow = spec["workflow"]
        parameters = (spec.get("inputs") or {}).get("parameters") or {}
        lines = ["set -e"]
        if workflow["type"] == "serial":
            steps = (workflow.get("specification") or {}).get("steps") or []
            if not steps:
                raise RunError("invalid specification: the serial workflow has no step")
            values = {k: str(v) for k, v in parameters.items()}
            for number, step in enumerate(steps):
                name = step.get("name") or str(number)
                label = f"{STEP_MARK}{name}"
                lines.append(f"echo {shlex.quote(label)}")
                for command in step.get("commands") or []:
                    command = string.Template(str(command)).safe_substitute(values)
                    lines.append(f"bash -c {shlex.quote(command)}")
        else:
            lines += self._cwl_lines(workflow, parameters)
        return "\n".join(lines) + "\n"

    def _cwl_lines(self, workflow, parameters):
        file = workflow.get("file")
        if not file or not (self.workdir / file).is_file():
            raise RunError(f"CWL workflow file {file} is not in the workspace")
        # Paths in the job file are relative to the workspace, as on REANA; cwltool
        # reads them relative to the job file, so a copy goes to the top.
        if isinstance(parameters.get("input"), str):
            source = self.workdir / parameters["input"]
            if not source.is_file():
                raise RunError(
                    f"CWL job file {parameters['input']} is not in the workspace"
                )
            job = source.read_text(encoding="utf-8")
        else:
            job = yaml.safe_dump(parameters)
        (self.workdir / CWL_JOB).write_text(job, encoding="utf-8")
        tmp = f"{RUN_DIR}/tmp/"
        (self.workdir / tmp).mkdir(parents=True, exist_ok=True)
        command = [
            "cwltool",
            "--disable-color",
            "--no-container",
            "--tmpdir-prefix",
            tmp,
            "--tmp-outdir-prefix",
            tmp,
            "--outdir",
            "outputs",
            file,
            CWL_JOB,
        ]
        return [f"echo {shlex.quote(STEP_MARK + 'cwl')}", shlex.join(command)]

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


class RunError(Exception):
    """The specification or workspace cannot be run."""


def _declared_outputs(spec):
    outputs = spec.get("outputs") or {}
    return [
        str(p)
        for p in (outputs.get("files") or []) + (outputs.get("directories") or [])
    ]


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
    """``python -m cs4od_invenio.reproducibility.runner WORKDIR [TIMEOUT]``."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(main.__doc__, file=sys.stderr)
        return 2
    limits = Limits(timeout=float(argv[1])) if len(argv) > 1 else Limits()
    status = LocalRun(argv[0], limits=limits).run()
    print(status["log_tail"])
    print(f"{status['state']}: {status['message'] or 'all outputs produced'}")
    return 0 if status["state"] == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
