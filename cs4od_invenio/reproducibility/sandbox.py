"""The local runner's sandbox: bubblewrap (``bwrap``) around a workflow's commands.

A sandboxed workflow sees the system's programs and libraries (``/usr``; ``/bin``,
``/lib*``, ``/sbin`` as on the host), a few files of ``/etc`` (``ETC``), the runner's
Python environment and the interpreter it was made from, all read-only; its own
working directory read-write; an empty private ``/tmp``, its own ``/proc`` (it sees
only its processes) and a minimal ``/dev``. Nothing else of the host's file system is
there: not the instance's configuration (``SECRET_KEY``), not ``.data/``, not other
runs. It has no network (a namespace with only its own loopback), no capabilities, and
cannot make nested user namespaces; it dies with the runner.

``SANDBOXES``: ``bwrap`` (the default) or ``off`` (commands run as the worker's user
and see all it sees). A sandbox that cannot start is a ``SandboxError``: the run fails
with the reason, it never runs unsandboxed instead.
"""

import os
import shutil
import subprocess
from pathlib import Path

SANDBOXES = ("bwrap", "off")
# What programs commonly read in /etc; nothing secret (no shadow, no SSL keys).
ETC = (
    "alternatives",
    "group",
    "hosts",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "mime.types",
    "nsswitch.conf",
    "passwd",
    "timezone",
)
TOP_LEVEL = ("bin", "lib", "lib32", "lib64", "libx32", "sbin")


class SandboxError(Exception):
    """The sandbox is configured but cannot be used."""


def bwrap_program():
    """Path of bwrap, or None when it is not installed."""
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/bin", "/bin"])
    return shutil.which("bwrap", path=path)


def _interpreter_home(venv):
    """The installation the virtual environment's Python comes from (``pyvenv.cfg``'s
    ``home`` is its ``bin``), unless it is already in /usr."""
    try:
        config = (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    except OSError:
        return None
    for line in config.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "home" and value.strip():
            home = Path(value.strip()).resolve().parent
            return (
                None if home == Path("/usr") or Path("/usr") in home.parents else home
            )
    return None


def _system_mounts():
    args = ["--ro-bind", "/usr", "/usr"]
    for name in TOP_LEVEL:
        top = Path("/") / name
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            args += ["--ro-bind", str(top), str(top)]
    for name in ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args


def bwrap_command(command, workdir, venv):
    """``command`` (a list) run by bwrap in ``workdir`` with ``venv`` (read-only)."""
    program = bwrap_program()
    if program is None:
        raise SandboxError(
            "the sandbox of the local runner (bubblewrap) is not installed: install the"
            " Debian package bubblewrap (scripts/cs4od install does), or turn it off"
            ' with CS4OD_RUNNER_SANDBOX = "off"'
        )
    workdir, venv = Path(workdir).resolve(), Path(venv).absolute()
    args = [
        program,
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--cap-drop",
        "ALL",
        "--die-with-parent",
        "--new-session",
        *_system_mounts(),
        # /tmp first: the directories below may be in it.
        "--tmpfs",
        "/tmp",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
    ]
    home = _interpreter_home(venv)
    if home is not None:
        args += ["--ro-bind", str(home), str(home)]
    args += ["--ro-bind", str(venv), str(venv)]
    args += ["--bind", str(workdir), str(workdir), "--chdir", str(workdir), "--"]
    return args + list(command)


def check(workdir, venv):
    """Start the sandbox once with ``true``; ``SandboxError`` with bwrap's reason."""
    try:
        done = subprocess.run(
            bwrap_command(["true"], workdir, venv),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SandboxError(f"the sandbox (bwrap) could not start: {error}") from None
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise SandboxError(
            "the sandbox (bwrap) could not start: "
            f"{reason[-1] if reason else f'exit {done.returncode}'}"
        )


def wrap(command, workdir, venv, sandbox="bwrap"):
    """``command`` as the local runner starts it with the sandbox ``sandbox``."""
    if sandbox == "off":
        return list(command)
    if sandbox != "bwrap":
        raise SandboxError(
            f"unknown sandbox {sandbox!r} (CS4OD_RUNNER_SANDBOX is one of:"
            f" {', '.join(SANDBOXES)})"
        )
    check(workdir, venv)
    return bwrap_command(command, workdir, venv)
