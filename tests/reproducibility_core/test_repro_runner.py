"""The local runner: same reana.yaml, states, logs and outputs as a REANA run."""

import io
import os
import shutil
import time

import pytest
from repro_helpers import DEMO, serial, worldpopulation_project

from cs4od_invenio.reproducibility.bundle import unpack_bundle, write_bundle
from cs4od_invenio.reproducibility.runner import Limits, LocalRun, main, stop_run
from cs4od_invenio.reproducibility.runs import read_status
from cs4od_invenio.reproducibility.spec import build_spec

PNG = b"\x89PNG\r\n\x1a\n"


def bundle_workspace(project, tmp_path):
    """Build the project's bundle and unpack it as a run's working directory."""
    target = io.BytesIO()
    write_bundle(build_spec(project), target)
    (tmp_path / "bundle.zip").write_bytes(target.getvalue())
    return unpack_bundle(tmp_path / "bundle.zip", tmp_path / "run")


@pytest.mark.parametrize("workflow", ["serial", "cwl"])
def test_worldpopulation_end_to_end_makes_the_plot(tmp_path, workflow):
    workdir = bundle_workspace(worldpopulation_project(workflow), tmp_path)
    run = LocalRun(workdir)
    assert run.status()["state"] == "created"
    status = run.run()
    assert status["state"] == "finished", status["log_tail"]
    assert status["message"] == ""
    assert status["exit_code"] == 0
    assert status["outputs"] == {
        "present": ["outputs/plot.png", "outputs/worldpopulation.ipynb"],
        "missing": [],
    }
    assert (workdir / "outputs" / "plot.png").read_bytes().startswith(PNG)
    assert status["started"] <= status["finished"]
    log = (workdir / ".cs4od-run" / "run.log").read_text()
    assert "[cs4od] step " in log
    assert status["log_tail"] == "\n".join(log.splitlines()[-40:])
    # Another process (the web UI) reads the same status from the working directory.
    assert read_status(workdir)["state"] == "finished"


def test_the_demos_own_serial_reana_yaml_runs_unchanged(demo_workspace):
    shutil.copy(DEMO / "reana.yaml", demo_workspace / "reana.yaml")
    status = LocalRun(demo_workspace).run()
    assert status["state"] == "finished", status["log_tail"]
    assert (demo_workspace / "results" / "plot.png").read_bytes().startswith(PNG)


def test_the_demos_cwl_tool_needs_docker_and_the_run_says_so(demo_workspace):
    spec = (DEMO / "reana-cwl.yaml").read_text()
    status = LocalRun(demo_workspace, spec).run()
    assert status["state"] == "failed"
    assert status["message"] == "step cwl failed (exit 1)"
    assert "has DockerRequirement under 'requirements'" in status["log_tail"]


def test_a_notebook_that_raises_fails_the_run_with_its_error(tmp_path):
    project = worldpopulation_project()
    project["notebooks"][0]["parameters"]["region"] = "Atlantis"
    workdir = bundle_workspace(project, tmp_path)
    status = LocalRun(workdir).run()
    assert status["state"] == "failed"
    assert status["message"] == "step worldpopulation failed (exit 1)"
    assert "KeyError" in status["log_tail"] and "Atlantis" in status["log_tail"]
    assert status["outputs"] == {"present": [], "missing": []}


def test_a_declared_output_that_is_not_made_fails_the_run(tmp_path):
    workdir = serial(
        tmp_path,
        "mkdir -p outputs && echo ok > outputs/a.txt",
        outputs=["outputs/a.txt", "outputs/plot.png"],
    )
    status = LocalRun(workdir).run()
    assert status["state"] == "failed"
    assert status["message"] == "output outputs/plot.png was not produced"
    assert status["outputs"] == {
        "present": ["outputs/a.txt"],
        "missing": ["outputs/plot.png"],
    }


def test_parameters_are_substituted_as_on_reana(tmp_path):
    workdir = serial(
        tmp_path,
        'mkdir -p outputs && echo "${region} $HOME" > outputs/out.txt',
        outputs=["outputs/out.txt"],
        parameters={"region": "Asia"},
    )
    assert LocalRun(workdir).run()["state"] == "finished"
    text = (workdir / "outputs" / "out.txt").read_text()
    # ${region} from inputs.parameters; $HOME left to the shell: the run's own home.
    assert text == f"Asia {workdir}/.cs4od-run/home\n"


def test_a_run_over_its_time_limit_is_killed_and_failed(tmp_path):
    workdir = serial(tmp_path, "sleep 60 & sleep 60")
    started = time.monotonic()
    status = LocalRun(workdir, limits=Limits(timeout=1)).run()
    assert time.monotonic() - started < 15
    assert status["state"] == "failed"
    assert status["message"] == (
        "the run took longer than its time limit of 1 s and was stopped"
    )


def test_a_stopped_run_leaves_no_process_behind(tmp_path):
    workdir = serial(tmp_path, "echo started; sleep 60")
    run = LocalRun(workdir).start()
    assert run.status()["state"] == "running"
    pgid = run.status()["pgid"]
    status = run.stop()
    assert status["state"] == "stopped"
    assert status["message"] == "stopped by request"
    with pytest.raises(ProcessLookupError):
        os.killpg(pgid, 0)


def test_memory_file_size_and_cpu_limits_apply(tmp_path):
    cases = [
        ("python -c 'bytearray(600 * 1024 * 1024)'", "MemoryError"),
        (
            "head -c 2000000 /dev/zero > big",
            "step only failed (file size limit of 1000000 bytes reached, SIGXFSZ)",
        ),
        (
            "python -c 'while True: pass'",
            "step only failed (CPU time limit of 1 s reached, SIGXCPU)",
        ),
    ]
    limits = Limits(timeout=60, cpu_seconds=1, memory=512 * 1024**2, file_size=10**6)
    for number, (command, expected) in enumerate(cases):
        workdir = serial(tmp_path / str(number), command)
        status = LocalRun(workdir, limits=limits).run()
        assert status["state"] == "failed", command
        assert expected in status["message"] + status["log_tail"], command


def test_the_run_does_not_see_the_callers_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INVENIO_SECRET_KEY", "do-not-leak")
    workdir = serial(tmp_path, "mkdir -p outputs && env > outputs/env.txt")
    assert LocalRun(workdir).run()["state"] == "finished"
    assert "do-not-leak" not in (workdir / "outputs" / "env.txt").read_text()


@pytest.mark.parametrize(
    "text, message",
    [
        ("workflow: [serial\n", "invalid specification: not YAML"),
        ("version: 0.3.0\n", "invalid specification: it has no workflow"),
        (
            "workflow: {type: yadage, file: w.yaml}\n",
            "invalid specification: the local runner runs serial and cwl workflows,"
            " not 'yadage'",
        ),
        (
            "inputs: {files: [code/x.ipynb]}\n"
            "workflow: {type: serial, specification: {steps: [{commands: [true]}]}}\n",
            "input file code/x.ipynb is not in the workspace",
        ),
    ],
)
def test_a_spec_the_runner_cannot_run_fails_without_running(tmp_path, text, message):
    status = LocalRun(tmp_path, text).start().status()
    assert status["state"] == "failed"
    assert status["message"].startswith(message)
    assert status["started"] is None


def test_without_the_runner_environment_the_run_fails_clearly(tmp_path):
    workdir = serial(tmp_path, "true")
    status = LocalRun(workdir, venv=tmp_path / "none").start().status()
    assert status["state"] == "failed"
    assert status["message"] == (
        f"the local runner is not installed at {tmp_path / 'none'}"
        " (scripts/cs4od install makes it)"
    )


def test_deleting_a_run_removes_its_workspace(tmp_path):
    workdir = serial(tmp_path, "mkdir -p outputs && echo x > outputs/x")
    run = LocalRun(workdir)
    run.queue()
    assert read_status(workdir)["state"] == "queued"
    run.run()
    run.delete()
    assert sorted(p.name for p in workdir.iterdir()) == [".cs4od-run"]
    assert read_status(workdir)["state"] == "deleted"


def test_the_command_line_runs_an_unpacked_bundle(tmp_path, capsys):
    workdir = serial(
        tmp_path, "mkdir -p outputs && echo hi > outputs/x", outputs=["outputs/x"]
    )
    assert main([str(workdir)]) == 0
    assert capsys.readouterr().out.endswith("finished: all outputs produced\n")
    failing = serial(tmp_path / "b", "true", outputs=["outputs/x"])
    assert main([str(failing)]) == 1
    assert capsys.readouterr().out.endswith(
        "failed: output outputs/x was not produced\n"
    )


def test_another_process_can_stop_a_run(tmp_path):
    workdir = serial(tmp_path, "sleep 60")
    run = LocalRun(workdir).start()
    # The web process only knows the working directory.
    assert stop_run(workdir)["state"] == "stopped"
    status = run.wait()
    assert status["state"] == "stopped"
    assert status["message"] == "stopped by request"
    assert status["exit_code"] is not None
    assert read_status(workdir)["state"] == "stopped"
