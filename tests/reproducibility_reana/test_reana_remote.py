"""The REANA path end to end: the real reana-client against the REANA stand-in."""

import pytest
from reana_helpers import CSV, TOKEN, serial_workspace

from cs4od_invenio.reproducibility.reana import ReanaRun, run_on_reana
from cs4od_invenio.reproducibility.reana_client import (
    OUTPUT_MISSING,
    ReanaClient,
    ReanaError,
)
from cs4od_invenio.reproducibility.runs import read_status

PNG = b"\x89PNG\r\n\x1a\n"


def test_worldpopulation_runs_on_reana_and_the_plot_comes_back(reana, worldpopulation):
    status = run_on_reana(worldpopulation, reana.url, TOKEN, name="worldpop", poll=0.5)

    assert status["state"] == "finished", status["message"] + status["log_tail"]
    assert status["message"] == ""
    assert status["workflow"] == "worldpop.1"
    assert status["outputs"] == {
        "present": ["outputs/plot.png", "outputs/worldpopulation.ipynb"],
        "missing": [],
    }
    assert (worldpopulation / "outputs" / "plot.png").read_bytes().startswith(PNG)
    executed = (worldpopulation / "outputs" / "worldpopulation.ipynb").read_text()
    assert '"papermill"' in executed  # the notebook as the run executed it
    assert status["progress"] == {"finished": 1, "total": 1}
    assert status["started"] and status["finished"]
    # REANA's log, as the local runner writes its own: step marks and the tool's output.
    assert "[cs4od] step " in status["log_tail"]
    assert "Executing" in status["log_tail"]
    # The web process reads the same status from the working directory.
    assert read_status(worldpopulation)["state"] == "finished"
    # The server ran the real notebook through REANA's states.
    run = reana.find("worldpop")
    assert run.history == ["created", "queued", "pending", "running", "finished"]
    for path in ("reana.yaml", "code/worldpopulation.ipynb", f"data/{CSV.name}"):
        assert (run.workspace / path).is_file(), path

    client = ReanaClient(reana.url, TOKEN)
    assert client.status("worldpop")["state"] == "finished"
    names = {f["name"]: f["size"] for f in client.outputs("worldpop")}
    assert (
        names["outputs/plot.png"]
        == (worldpopulation / "outputs/plot.png").stat().st_size
    )
    assert "reana.yaml" in names
    logs = client.logs("worldpop")
    assert [job["status"] for job in logs["job_logs"].values()] == ["finished"]

    # A folder comes as a zip and is unpacked in place.
    target = worldpopulation.parent / "again"
    client.download("worldpop", "outputs", target)
    assert (target / "outputs" / "plot.png").read_bytes().startswith(PNG)

    client.delete("worldpop")
    assert client.status("worldpop")["state"] == "deleted"
    assert not run.workspace.exists()


def test_runs_are_numbered_and_another_worker_can_poll_one_to_its_end(reana, tmp_path):

    first = serial_workspace(
        tmp_path / "a",
        ["mkdir -p outputs && echo 1 > outputs/n.txt"],
        ["outputs/n.txt"],
    )
    second = serial_workspace(
        tmp_path / "b",
        ["mkdir -p outputs && echo 2 > outputs/n.txt"],
        ["outputs/n.txt"],
    )
    client = ReanaClient(reana.url, TOKEN)
    ReanaRun(first, client, name="count").start()
    # A Celery task in another process takes the run up from its working directory.
    one = ReanaRun.resume(first, ReanaClient(reana.url, TOKEN), poll=0.3).wait()
    two = ReanaRun(second, client, name="count", poll=0.3).run()
    assert (one["workflow"], two["workflow"]) == ("count.1", "count.2")
    assert (first / "outputs/n.txt").read_text() == "1\n"
    assert (second / "outputs/n.txt").read_text() == "2\n"
    assert client.status("count.1")["state"] == "finished"
    assert one["state"] == two["state"] == "finished"
    with pytest.raises(ValueError, match="holds no REANA run"):
        ReanaRun.resume(tmp_path / "a" / "outputs", client)


def test_a_missing_output_fails_the_run_and_keeps_what_was_there(reana, tmp_path):

    workdir = serial_workspace(
        tmp_path / "run",
        ["mkdir -p outputs && echo made > outputs/made.txt"],
        outputs=["outputs/made.txt", "outputs/table.csv"],
    )
    (workdir / "outputs").mkdir()
    (workdir / "outputs" / "table.csv").write_text("kept from before\n")

    status = ReanaRun(
        workdir, ReanaClient(reana.url, TOKEN), name="partial", poll=0.3
    ).run()

    # REANA itself calls the run finished: it does not check outputs; CS4OD does.
    assert reana.find("partial").status == "finished"
    assert status["state"] == "failed"
    assert status["message"] == "output outputs/table.csv was not produced"
    assert status["outputs"] == {
        "present": ["outputs/made.txt"],
        "missing": ["outputs/table.csv"],
    }
    assert (workdir / "outputs" / "made.txt").read_text() == "made\n"
    assert (workdir / "outputs" / "table.csv").read_text() == "kept from before\n"
    with pytest.raises(ReanaError) as raised:
        ReanaClient(reana.url, TOKEN).download(
            "partial", "outputs/table.csv", tmp_path / "x"
        )
    assert raised.value.kind == OUTPUT_MISSING
    assert raised.value.message == "output outputs/table.csv was not produced"
    assert not (tmp_path / "x" / "outputs").exists()
