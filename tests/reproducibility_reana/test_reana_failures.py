"""What a user sees when a REANA run goes wrong; the access token is never shown."""

import json
import stat
import subprocess
import time

import pytest
import yaml
from reana_helpers import TOKEN, notebook, serial_workspace

from cs4od_invenio.reproducibility import reana_client
from cs4od_invenio.reproducibility.reana import ReanaRun
from cs4od_invenio.reproducibility.reana_client import (
    ACCESS_TOKEN,
    SPECIFICATION,
    UNREACHABLE,
    WORKFLOW_FAILED,
    ReanaClient,
    ReanaError,
)
from cs4od_invenio.reproducibility.runs import read_status

WRONG = "cs4od-Wrong-Token-00d1e5"


def echo_workspace(tmp_path):
    return serial_workspace(
        tmp_path / "run",
        ["mkdir -p outputs && echo hi > outputs/hi.txt"],
        ["outputs/hi.txt"],
    )


def everything_shown(workdir, *errors):
    """Every text a user or an operator could see: status, log, error messages."""
    run_dir = workdir / ".cs4od-run"
    texts = [p.read_text() for p in run_dir.iterdir() if p.is_file()]
    texts += [f"{e} {e.message} {e.workflow} {e!r}" for e in errors]
    return "\n".join(texts)


def test_a_wrong_token_is_refused_before_anything_is_created(reana, tmp_path):
    workdir = echo_workspace(tmp_path)
    status = ReanaRun(workdir, ReanaClient(reana.url, WRONG), name="hello").run()

    assert status["state"] == "failed"
    assert status["message"] == "REANA refused the access token"
    assert reana.workflows == {}
    with pytest.raises(ReanaError) as raised:
        ReanaClient(reana.url, WRONG).status("hello")
    assert raised.value.kind == ACCESS_TOKEN
    assert raised.value.state is None  # a run's state is unknown, not failed
    assert WRONG not in everything_shown(workdir, raised.value)


def test_an_unreachable_server_is_named_and_the_run_fails(closed_url, tmp_path):
    workdir = echo_workspace(tmp_path)
    status = ReanaRun(workdir, ReanaClient(closed_url, TOKEN), name="hello").run()

    assert status["state"] == "failed"
    assert status["message"] == f"REANA at {closed_url} could not be reached"
    assert read_status(workdir)["message"] == status["message"]
    for call in (
        lambda c: c.ping(),
        lambda c: c.logs("hello"),
        lambda c: c.outputs("hello"),
        lambda c: c.download("hello", "outputs/hi.txt", tmp_path / "out"),
    ):
        with pytest.raises(ReanaError) as raised:
            call(ReanaClient(closed_url, TOKEN))
        assert raised.value.kind == UNREACHABLE
        assert raised.value.message == f"REANA at {closed_url} could not be reached"
    assert not (tmp_path / "out" / "outputs").exists()
    assert TOKEN not in everything_shown(workdir, raised.value)


@pytest.mark.parametrize(
    "change, says",
    [
        (
            lambda spec: spec["workflow"].update(type="snakes"),
            "'snakes' is not one of ['cwl', 'serial', 'yadage', 'snakemake']",
        ),
        (
            lambda spec: spec["inputs"].update(files=["data/absent.csv"]),
            "inputs.files: file data/absent.csv is not in the workspace",
        ),
    ],
)
def test_an_invalid_specification_never_reaches_reana(reana, tmp_path, change, says):
    workdir = echo_workspace(tmp_path)
    spec = yaml.safe_load((workdir / "reana.yaml").read_text())
    change(spec)
    (workdir / "reana.yaml").write_text(yaml.safe_dump(spec))

    status = ReanaRun(workdir, ReanaClient(reana.url, TOKEN), name="hello").run()

    assert status["state"] == "failed"
    assert status["message"].startswith("reana.yaml is not valid: ")
    assert says in status["message"]
    assert reana.calls == []  # not even a ping
    with pytest.raises(ReanaError) as raised:
        ReanaClient(reana.url, TOKEN).submit(workdir, "hello")
    assert raised.value.kind == SPECIFICATION


def test_a_notebook_that_raises_fails_with_reanas_message_and_the_log_tail(
    reana, tmp_path
):
    workdir = serial_workspace(
        tmp_path / "run",
        ["mkdir -p outputs && papermill code/analysis.ipynb outputs/analysis.ipynb"],
        ["outputs/analysis.ipynb"],
        files={
            "code/analysis.ipynb": notebook(
                "print('reading the regions')",
                "raise ValueError('region Atlantis is unknown')",
            )
        },
    )
    client = ReanaClient(reana.url, TOKEN)
    status = ReanaRun(workdir, client, name="atlantis", poll=0.3).run()

    assert status["state"] == "failed"
    assert reana.find("atlantis").history[-1] == "failed"
    first, *tail = status["message"].splitlines()
    assert first == "workflow failed: step main failed (exit 1)"
    assert any("ValueError: region Atlantis is unknown" in line for line in tail)
    assert "region Atlantis is unknown" in status["log_tail"]
    assert status["outputs"] == {"present": [], "missing": []}  # nothing fetched

    with pytest.raises(ReanaError) as raised:
        client.wait("atlantis", poll=0.1)
    assert raised.value.kind == WORKFLOW_FAILED
    assert raised.value.message == status["message"]


def test_a_run_can_be_stopped_and_its_process_ends(reana, tmp_path):
    workdir = serial_workspace(
        tmp_path / "run", ["echo started", "sleep 120"], ["outputs/never.txt"]
    )
    run = ReanaRun(workdir, ReanaClient(reana.url, TOKEN), name="sleeper", poll=0.2)
    run.start()
    deadline = time.monotonic() + 60
    while run.status()["state"] != "running" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert run.state == "running"

    status = run.stop()

    assert status["state"] == "stopped"
    assert status["message"] == "stopped by request"
    assert reana.find("sleeper").history[-2:] == ["running", "stopped"]
    # The workflow's processes are gone (the stand-in ran it with the local runner).
    pgid = reana.status_of("sleeper")["pgid"]
    alive = subprocess.run(["ps", "-g", str(pgid), "-o", "pid="], capture_output=True)
    assert alive.stdout.strip() == b""
    assert run.stop()["state"] == "stopped"  # stopping again changes nothing
    assert read_status(workdir)["state"] == "stopped"


def test_reanas_time_limit_stops_a_run_that_takes_too_long(reana, tmp_path):
    workdir = serial_workspace(tmp_path / "run", ["sleep 120"], [])
    run = ReanaRun(
        workdir, ReanaClient(reana.url, TOKEN), name="slow", poll=0.2, timeout=3
    )
    status = run.run()

    assert status["state"] == "failed"
    assert status["message"] == (
        "the run took longer than its time limit of 3 s and was stopped"
    )
    assert reana.find("slow").status == "stopped"


def test_the_token_is_never_on_a_command_line_nor_in_a_message(tmp_path, monkeypatch):
    """A reana-client that repeats the token it was given: CS4OD shows it nowhere."""
    program = tmp_path / "reana-client"
    program.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = ping ]; then echo "Status: Connected"; exit 0; fi\n'
        'echo "==> ERROR: Cannot retrieve the status of $3:" >&2\n'
        'echo "token $REANA_ACCESS_TOKEN is not valid for $REANA_SERVER_URL" >&2\n'
        "exit 1\n"
    )
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    seen = []
    real_run = subprocess.run

    def spy(args, **kwargs):
        seen.append((args, kwargs["env"]))
        return real_run(args, **kwargs)

    monkeypatch.setattr(reana_client.subprocess, "run", spy)
    client = ReanaClient("http://reana.example.org", TOKEN, program=program)
    with pytest.raises(ReanaError) as raised:
        client.status("hello")

    assert raised.value.message == (
        "the status of hello could not be read: Cannot retrieve the status of hello:"
        " token [access token] is not valid for http://reana.example.org"
    )
    assert TOKEN not in repr(client)
    assert all(TOKEN not in " ".join(map(str, args)) for args, _ in seen)
    assert all(env["REANA_ACCESS_TOKEN"] == TOKEN for _, env in seen)
    # The worker's own environment (database URLs, secrets) is not passed on.
    monkeypatch.setenv("INVENIO_SQLALCHEMY_DATABASE_URI", "postgresql://secret")
    client.ping()
    assert "INVENIO_SQLALCHEMY_DATABASE_URI" not in seen[-1][1]


def test_the_status_file_holds_no_token(reana, tmp_path):
    workdir = echo_workspace(tmp_path)
    status = ReanaRun(
        workdir, ReanaClient(reana.url, TOKEN), name="hello", poll=0.2
    ).run()
    assert status["state"] == "finished"
    stored = json.loads((workdir / ".cs4od-run" / "status.json").read_text())
    assert stored["server"] == reana.url and stored["workflow"] == "hello.1"
    assert TOKEN not in everything_shown(workdir)
