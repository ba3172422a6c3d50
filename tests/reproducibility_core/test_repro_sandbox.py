"""The local runner's sandbox (bubblewrap): a workflow sees its working directory and
the programs it needs, not the rest of the host's files, and has no network."""

import shutil
import socket
import time

import pytest
from repro_helpers import CSV, CSV_NAME, DEMO, serial

from cs4od_invenio.reproducibility.runner import LocalRun
from cs4od_invenio.reproducibility.runs import ROOT

SECRET = "cs4od-not-for-workflows-5be1"


@pytest.fixture
def secret_file(tmp_path):
    """A file outside the run's working directory, readable by the worker's user."""
    path = tmp_path / "elsewhere" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET)
    return path


@pytest.fixture
def listener():
    """A TCP socket listening on the host's loopback."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        yield server


def accepted(server):
    """Whether anyone connected to the listener."""
    try:
        connection, _ = server.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def read_command(path):
    return f"python -c \"print(open('{path}').read())\""


def connect_command(port):
    return (
        'python -c "import socket;'
        f" socket.create_connection(('127.0.0.1', {port}), timeout=5); print('open')\""
    )


def test_a_file_outside_the_working_directory_cannot_be_read(tmp_path, secret_file):
    workdir = serial(tmp_path, read_command(secret_file))
    status = LocalRun(workdir).run()
    assert status["state"] == "failed"
    assert status["message"] == "step only failed (exit 1)"
    assert "No such file or directory" in status["log_tail"]
    assert SECRET not in (workdir / ".cs4od-run" / "run.log").read_text()
    assert status["sandbox"] == "bwrap"


def test_unsandboxed_the_same_step_reads_it(tmp_path, secret_file):
    """What the sandbox is for: without it the step reads the worker's files."""
    workdir = serial(tmp_path, read_command(secret_file))
    status = LocalRun(workdir, sandbox="off").run()
    assert status["state"] == "finished", status["log_tail"]
    assert SECRET in status["log_tail"]


@pytest.mark.parametrize("sandbox, state", [("bwrap", "failed"), ("off", "finished")])
def test_a_notebook_cannot_read_a_table_outside_the_working_directory(
    tmp_path, sandbox, state
):
    outside = tmp_path / "elsewhere" / CSV_NAME
    outside.parent.mkdir()
    shutil.copy(CSV, outside)
    workdir = serial(
        tmp_path,
        "mkdir -p outputs && papermill worldpopulation.ipynb outputs/run.ipynb"
        f" -p input_file {outside} -p output_file outputs/plot.png",
    )
    shutil.copy(DEMO / "code" / "worldpopulation.ipynb", workdir)
    status = LocalRun(workdir, sandbox=sandbox).run()
    assert status["state"] == state, status["log_tail"]
    if state == "failed":
        assert "FileNotFoundError" in status["log_tail"]
    else:
        assert (workdir / "outputs" / "plot.png").is_file()


def test_the_instance_and_the_data_folder_are_not_there(tmp_path):
    hidden = [ROOT / "invenio.cfg", ROOT / ".data", ROOT / ".venv" / "var" / "instance"]
    present = [path for path in hidden if path.exists()]
    assert present
    workdir = serial(tmp_path, *(f"test ! -e {path}" for path in present))
    status = LocalRun(workdir).run()
    assert status["state"] == "finished", status["log_tail"]


def test_no_connection_to_a_port_listening_on_the_host(tmp_path, listener):
    port = listener.getsockname()[1]
    workdir = serial(tmp_path, connect_command(port))
    status = LocalRun(workdir).run()
    assert status["state"] == "failed"
    assert "ConnectionRefusedError" in status["log_tail"]
    assert not accepted(listener)


def test_unsandboxed_the_same_step_connects(tmp_path, listener):
    port = listener.getsockname()[1]
    workdir = serial(tmp_path, connect_command(port))
    status = LocalRun(workdir, sandbox="off").run()
    assert status["state"] == "finished", status["log_tail"]
    time.sleep(0.1)
    assert accepted(listener)


def test_files_outside_the_working_directory_are_not_written(tmp_path):
    outside = tmp_path / "outside.txt"
    workdir = serial(
        tmp_path,
        "mkdir -p outputs && echo made > outputs/made.txt",
        f"echo scribble > /tmp/{tmp_path.name}-scribble.txt",
        f"echo scribble > {outside} || true",
        outputs=["outputs/made.txt"],
    )
    status = LocalRun(workdir).run()
    assert status["state"] == "finished", status["log_tail"]
    assert (workdir / "outputs" / "made.txt").read_text() == "made\n"
    assert not outside.exists()
    assert not (tmp_path.parent / f"{tmp_path.name}-scribble.txt").exists()


def test_a_sandbox_that_cannot_start_fails_the_run(tmp_path, monkeypatch):
    """bwrap refusing (e.g. user namespaces disabled): the run fails with its reason
    and nothing runs unsandboxed."""
    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    workdir = serial(tmp_path, "touch ran.txt")
    status = LocalRun(workdir).run()
    assert status["state"] == "failed"
    assert status["message"] == (
        "the sandbox (bwrap) could not start: bwrap: No permissions to create new"
        " namespace"
    )
    assert not (workdir / "ran.txt").exists()


def test_an_unknown_sandbox_fails_the_run(tmp_path):
    workdir = serial(tmp_path, "touch ran.txt")
    status = LocalRun(workdir, sandbox="chroot").run()
    assert status["state"] == "failed"
    assert status["message"] == (
        "unknown sandbox 'chroot' (CS4OD_RUNNER_SANDBOX is one of: bwrap, off)"
    )
    assert not (workdir / "ran.txt").exists()
