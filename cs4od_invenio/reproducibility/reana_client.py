"""reana-client 0.9.6 as a program, for one REANA server and one user's access token.

reana-client lives in its own virtual environment (``.venv-reana``; it cannot share
InvenioRDM's), so ``ReanaClient`` calls it as a program with the server's URL and the
user's access token in its environment (``REANA_SERVER_URL``, ``REANA_ACCESS_TOKEN``;
never on the command line, where ``ps`` would show it), and parses its ``--json``
output. Whatever reana-client prints is cleaned of the token before it goes into a
message, a log or a status.

What goes wrong is a ``ReanaError`` with a ``message`` for the user, a ``kind``
(``UNREACHABLE``, ``ACCESS_TOKEN``, ``SPECIFICATION``, ``WORKFLOW_FAILED``,
``OUTPUT_MISSING``, ``NOT_FOUND``, ``CLIENT``) and the ``state`` the run is left in
(None when it is unknown, e.g. REANA could not be reached while a run was under way:
keep the last state known and ask again later).
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath

from .runs import ACTIVE
from .validate import ANSI, ReanaClientError, reana_client_program, validate_spec

UNREACHABLE = "unreachable"
ACCESS_TOKEN = "access_token"
SPECIFICATION = "specification"
WORKFLOW_FAILED = "workflow_failed"
OUTPUT_MISSING = "output_missing"
NOT_FOUND = "not_found"
CLIENT = "client"

ERROR_LINE = re.compile(r"^(?:==> |  -> |\[)ERROR\]?:? ?(.*)$")
# Variables reana-client may need from the calling process; nothing else is passed on
# (a worker's environment holds database URLs and secrets).
PASSED_ON = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "REQUESTS_CA_BUNDLE",
    "SSL_CERT_FILE",
)


class ReanaError(Exception):
    """A REANA operation failed; ``message`` says why in words a user understands."""

    def __init__(self, message, kind=CLIENT, state="failed", workflow=None):
        """``state`` is the run's state afterwards (None: unknown, keep the last)."""
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.state = state
        self.workflow = workflow


class ReanaClient:
    """reana-client 0.9.6 as a program, for one server and one user's access token."""

    def __init__(
        self, server_url, token, program=None, timeout=120, upload_timeout=3600
    ):
        """``timeout`` bounds each call (seconds), ``upload_timeout`` the upload."""
        if not server_url:
            raise ValueError("a REANA server URL is needed")
        if not token:
            raise ValueError("a REANA access token is needed")
        self.server_url = server_url.rstrip("/")
        self._token = token
        self.program = str(program or reana_client_program())
        self.timeout = timeout
        self.upload_timeout = upload_timeout

    def __repr__(self):
        return f"ReanaClient({self.server_url!r})"

    # calls ----------------------------------------------------------------------------
    def _scrub(self, text):
        """reana-client's output without colours and without the token."""
        return ANSI.sub("", text or "").replace(self._token, "[access token]")

    def _environment(self):
        env = {k: v for k, v in os.environ.items() if k in PASSED_ON}
        env["PATH"] = os.pathsep.join(
            [str(Path(self.program).parent), env.get("PATH") or "/usr/bin:/bin"]
        )
        env.update(
            REANA_SERVER_URL=self.server_url,
            REANA_ACCESS_TOKEN=self._token,
            PYTHONWARNINGS="ignore",
        )
        return env

    def _call(self, *args, cwd=None, timeout=None):
        """(exit code, stdout, stderr) of ``reana-client ARGS``, token removed."""
        if not Path(self.program).is_file():
            raise ReanaError(
                f"reana-client is not installed at {self.program} (scripts/cs4od"
                " install makes it; CS4OD_REANA_CLIENT names another)"
            )
        timeout = timeout or self.timeout
        try:
            done = subprocess.run(
                [self.program, *args],
                cwd=cwd,
                env=self._environment(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise ReanaError(
                f"REANA at {self.server_url} did not answer `reana-client {args[0]}`"
                f" within {timeout:g} s",
                kind=UNREACHABLE,
                state=None,
            ) from None
        return done.returncode, self._scrub(done.stdout), self._scrub(done.stderr)

    def _failure(self, action, output, state="failed", workflow=None):
        """The ReanaError for a failed call: REANA unreachable, the token refused, or
        what reana-client said (it says nothing useful in the first two cases, so
        ``ping`` tells them apart)."""
        detail = _error_text(output)
        try:
            self.ping()
        except ReanaError as error:
            if error.kind in (UNREACHABLE, ACCESS_TOKEN):
                error.state, error.workflow = state, workflow
                raise error from None
        kind = NOT_FOUND if "does not exist" in detail else CLIENT
        message = f"{action}: {detail}" if detail else f"{action} failed"
        return ReanaError(message, kind=kind, state=state, workflow=workflow)

    # operations -----------------------------------------------------------------------
    def ping(self):
        """Check that REANA answers and takes the token; its version and user."""
        code, out, err = self._call("ping")
        fields = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
        status = fields.get("Status", "").strip()
        if status == "Connected" and code == 0:
            return {
                "server_version": fields.get("REANA server version", "").strip(),
                "user": fields.get("Authenticated as", "").strip(),
            }
        if "INVALID ACCESS TOKEN" in status:
            raise ReanaError("REANA refused the access token", kind=ACCESS_TOKEN)
        if "INVALID SERVER" in status or not status:
            raise ReanaError(
                f"REANA at {self.server_url} could not be reached", kind=UNREACHABLE
            )
        raise ReanaError(f"REANA ping failed: {status or _error_text(out + err)}")

    def submit(self, workspace_dir, name, spec_file="reana.yaml", validate=True):
        """Create the workflow, upload its inputs and start it; returns ``name.N``.

        The specification is checked first (``validate.validate_spec``: reana-client's
        rules plus input files present), so an invalid one never reaches REANA.
        """
        workspace = Path(workspace_dir).resolve()
        spec_path = workspace / spec_file
        if not spec_path.is_file():
            raise ReanaError(f"there is no {spec_file} in the workspace", SPECIFICATION)
        if "." in name or not name:
            raise ReanaError(f"{name!r} is no REANA workflow name", SPECIFICATION)
        if validate:
            self._validate(spec_path)
        self.ping()
        code, out, err = self._call(
            "create", "-w", name, "-f", spec_file, cwd=workspace
        )
        created = re.findall(rf"^({re.escape(name)}\.\d+)$", out, re.MULTILINE)
        full = created[-1] if created else None
        if code != 0:
            if full is None and _invalid_specification(out + err):
                raise ReanaError(
                    f"REANA refused {spec_file}: {_error_text(out + err)}",
                    SPECIFICATION,
                )
            raise self._failure(
                "the workflow could not be created", out + err, workflow=full
            )
        code, out, err = self._call(
            "upload", "-w", full, cwd=workspace, timeout=self.upload_timeout
        )
        if code != 0:
            raise self._failure(
                "the inputs could not be uploaded", out + err, workflow=full
            )
        code, out, err = self._call("start", "-w", full)
        if code != 0:
            raise self._failure(
                "the workflow could not be started", out + err, workflow=full
            )
        return full

    def _validate(self, spec_path):
        try:
            result = validate_spec(
                spec_path.read_text(encoding="utf-8"),
                workspace=spec_path.parent,
                program=self.program,
            )
        except ReanaClientError as error:
            raise ReanaError(str(error)) from None
        if not result.valid:
            problems = "; ".join(p["message"] for p in result.errors)
            raise ReanaError(
                f"{spec_path.name} is not valid: {problems}", SPECIFICATION
            )

    def status(self, name):
        """``{state, progress, message, created, started, finished, id}`` of a run.

        ``progress`` is ``{"finished": n, "total": m}`` steps (None before REANA
        counts them); for a failed run ``message`` is REANA's reason and the tail of
        the failed step's log.
        """
        code, out, err = self._call("status", "-w", name, "--json", "-v")
        try:
            row = json.loads(out)[0] if code == 0 else None
        except (ValueError, IndexError, KeyError):
            row = None
        if row is None:
            raise self._failure(
                f"the status of {name} could not be read", out + err, None
            )
        progress = None
        if re.fullmatch(r"\d+/\d+", row.get("progress") or ""):
            done, total = row["progress"].split("/")
            progress = {"finished": int(done), "total": int(total)}
        status = {
            "state": row["status"],
            "progress": progress,
            "message": "",
            "created": row.get("created"),
            "started": row.get("started"),
            "finished": row.get("ended"),
            "id": row.get("id"),
        }
        if status["state"] == "failed":
            status["message"] = self.failure_message(name)
        return status

    def failure_message(self, name, lines=20):
        """REANA's reason for a failed run and the tail of the failed step's log."""
        logs = self.logs(name)
        reason = (logs.get("workflow_logs") or "").strip() or "the workflow failed"
        jobs = list((logs.get("job_logs") or {}).values())
        failed = [j for j in jobs if j.get("status") == "failed"] or jobs[-1:]
        tail = "\n".join(
            "\n".join((j.get("logs") or "").splitlines()[-lines:]) for j in failed
        ).strip()
        return f"{reason}\n{tail}" if tail else reason

    def logs(self, name):
        """REANA's logs: ``{workflow_logs, job_logs: {id: {job_name, status, logs,
        ...}}, engine_specific}``."""
        code, out, err = self._call("logs", "-w", name, "--json")
        if code == 0:
            try:
                return json.loads(out)
            except ValueError:
                pass
        raise self._failure(f"the logs of {name} could not be read", out + err, None)

    def outputs(self, name):
        """The files in the run's workspace: ``[{name, size, last-modified}]``."""
        code, out, err = self._call("ls", "-w", name, "--json")
        if code == 0:
            try:
                files = json.loads(out)
                for entry in files:
                    entry["size"] = int(entry["size"])
                return files
            except (ValueError, KeyError, TypeError):
                pass
        raise self._failure(f"the files of {name} could not be listed", out + err, None)

    def download(self, name, path, target_dir):
        """Download a workspace file (or folder) to ``target_dir/path``; returns it.

        What was at that place stays until the download is complete.
        """
        relative = PurePosixPath(path)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ValueError(f"{path} is no path inside the workspace")
        target_dir = Path(target_dir).resolve()
        target_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(
            prefix=".reana-download-", dir=target_dir
        ) as tmp:
            code, out, err = self._call(
                "download",
                "-w",
                name,
                str(relative),
                "-o",
                tmp,
                timeout=self.upload_timeout,
            )
            if code != 0:
                if "does not exist" in out + err:
                    raise ReanaError(
                        f"output {path} was not produced", OUTPUT_MISSING, workflow=name
                    )
                raise self._failure(
                    f"{path} could not be downloaded", out + err, None, name
                )
            return _place(Path(tmp), relative, target_dir)

    def wait(self, name, poll=5.0, timeout=None):
        """Poll until the run ends; its status if finished, else ReanaError
        (WORKFLOW_FAILED with REANA's message and log tail, or stopped/deleted)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            status = self.status(name)
            if status["state"] not in ACTIVE + ("created",):
                break
            if deadline is not None and time.monotonic() > deadline:
                raise ReanaError(
                    f"{name} did not end within {timeout:g} s",
                    state=None,
                    workflow=name,
                )
            time.sleep(poll)
        if status["state"] == "failed":
            raise ReanaError(status["message"], WORKFLOW_FAILED, workflow=name)
        if status["state"] != "finished":
            raise ReanaError(
                f"the workflow was {status['state']}", CLIENT, status["state"], name
            )
        return status

    def stop(self, name):
        """Stop a run (REANA's forced stop)."""
        code, out, err = self._call("stop", "-w", name, "--force")
        if code != 0:
            raise self._failure(f"{name} could not be stopped", out + err, None, name)

    def delete(self, name):
        """Delete a run and its workspace on REANA."""
        code, out, err = self._call("delete", "-w", name)
        if code != 0:
            raise self._failure(f"{name} could not be deleted", out + err, None, name)


def _error_text(output):
    """reana-client's error messages, each with its first continued paragraph."""
    messages, current = [], None
    for line in (output or "").splitlines():
        match = ERROR_LINE.match(line)
        if match:
            current = [match.group(1).strip()]
            messages.append(current)
        elif current is not None:
            if line.strip():
                current.append(line.strip())
            elif len(current) > 1:
                current = None
    texts = [" ".join(part for part in m if part).rstrip(":").strip() for m in messages]
    # "Invalid REANA specification: X" and "Cannot create workflow N: X" say X twice.
    unique = [t for i, t in enumerate(texts) if t and t not in texts[:i]]
    return "; ".join(unique)


def _invalid_specification(output):
    return "Invalid REANA specification" in output or re.search(
        r"^  -> ERROR:", output, re.MULTILINE
    )


def _place(tmp, relative, target_dir):
    """Move a download from ``tmp`` to ``target_dir/relative`` (zip: unpacked)."""
    single = tmp / relative
    target = target_dir / relative
    if single.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(single, target)
        return target
    archives = sorted(tmp.glob("download_*.zip"))
    if not archives:
        raise ReanaError(f"REANA sent nothing for {relative}", OUTPUT_MISSING)
    with zipfile.ZipFile(archives[0]) as archive:
        for member in archive.infolist():
            inside = PurePosixPath(member.filename)
            if member.is_dir() or inside.is_absolute() or ".." in inside.parts:
                continue
            destination = target_dir / inside
            destination.parent.mkdir(parents=True, exist_ok=True)
            with (
                archive.open(member) as source,
                open(f"{destination}.part", "wb") as out,
            ):
                shutil.copyfileobj(source, out)
            os.replace(f"{destination}.part", destination)
    return target
