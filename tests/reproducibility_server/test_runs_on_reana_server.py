"""Runs of a project on the configured REANA server (the stand-in, driven by the real
reana-client in a Celery task, eager here), with the user's own access token: kept
encrypted, never shown back; each failure ends in a clear state and loses nothing."""

import io
import zipfile
from urllib.parse import urlsplit

import pytest
import yaml
from helpers import WORLDPOPULATION_CSV as CSV
from helpers import WORLDPOPULATION_NOTEBOOK as NOTEBOOK
from helpers import link_worldpopulation, token_for
from reana_app_helpers import REANA_TOKEN
from sqlalchemy import text

from cs4od_invenio.reproducibility.models import ReproducibleRun

PNG = b"\x89PNG\r\n\x1a\n"
TOKEN_URL = "/api/user/reana-token"


@pytest.fixture()
def project(published_project, projects_service, owner, location, resource_types):
    link_worldpopulation(projects_service, owner, published_project.id)
    return published_project.id


def _set_token(client, auth, token=REANA_TOKEN):
    answer = client.put(TOKEN_URL, json={"token": token}, headers=auth)
    assert answer.status_code == 200, answer.json
    return answer.json


def _edit(client, auth, project, spec):
    saved = client.put(f"/api/projects/{project}/reproducibility",
                       json={"reana_yaml": yaml.safe_dump(spec, sort_keys=False)},
                       headers=auth)
    assert saved.status_code == 200, saved.json


def test_the_token_is_kept_encrypted_and_never_shown(client, db, auth, owner, stranger):
    assert client.get(TOKEN_URL).status_code == 401
    unset = client.get(TOKEN_URL, headers=auth).json
    assert unset["set"] is False and unset["updated"] is None and unset["server"]

    refused = client.put(TOKEN_URL, json={"token": "two words"}, headers=auth)
    assert refused.status_code == 400 and refused.json["errors"][0]["field"] == "token"
    assert client.get(TOKEN_URL, headers=auth).json["set"] is False

    answer = _set_token(client, auth)
    assert answer["set"] is True and answer["updated"]
    assert REANA_TOKEN not in client.get(TOKEN_URL, headers=auth).get_data(as_text=True)
    stored = db.session.execute(
        text("SELECT token FROM cs4od_reana_tokens WHERE user_id = :u"),
        {"u": owner.id}).scalar()
    assert stored and REANA_TOKEN not in stored  # encrypted at rest
    # One per user: another user has none.
    other = {"authorization": f"Bearer {token_for(stranger, db)}"}
    assert client.get(TOKEN_URL, headers=other).json["set"] is False

    removed = client.delete(TOKEN_URL, headers=auth)
    assert removed.status_code == 200 and removed.json["set"] is False
    assert client.get(TOKEN_URL, headers=auth).json["set"] is False


def test_a_run_on_reana_ends_with_its_outputs(client, db, auth, project, reana):
    spec = client.get(f"/api/projects/{project}/reproducibility").json
    assert spec["runners"] == ["reana", "local"]

    # Without a token nothing starts and nothing is stored.
    refused = client.post(f"/api/projects/{project}/runs", headers=auth)
    assert refused.status_code == 400
    assert "REANA access token" in refused.json["errors"][0]["messages"][0]
    assert ReproducibleRun.query.filter_by(project_id=project).count() == 0

    _set_token(client, auth)
    run = client.post(f"/api/projects/{project}/runs", json={"runner": "reana"},
                      headers=auth)
    assert run.status_code == 202
    run = client.get(urlsplit(run.json["links"]["self"]).path).json
    assert run["runner"] == "reana"
    assert run["state"] == "finished", (run["message"], run["log"])
    assert run["workflow"] == f"cs4od-{project}.1"
    assert sorted(run["outputs"]["present"]) == [
        "outputs/plot.png", f"outputs/{NOTEBOOK.name}"]
    assert "[cs4od] step worldpopulation" in run["log"]
    image = client.get(urlsplit(run["links"]["outputs"]["outputs/plot.png"]).path)
    assert image.status_code == 200 and image.data.startswith(PNG)
    # REANA ran it through its states, on the files CS4OD uploaded.
    remote = reana.find(run["workflow"])
    assert remote.history == ["created", "queued", "pending", "running", "finished"]
    assert (remote.workspace / "data" / CSV.name).is_file()
    # The token went to REANA and nowhere else.
    assert REANA_TOKEN not in str(run)


def test_failures_on_reana_say_why_and_lose_nothing(client, db, api_config, auth, project,
                                                    closed_url):
    generated = yaml.safe_load(
        client.get(f"/api/projects/{project}/reproducibility").json["reana_yaml"])
    steps = generated["workflow"]["specification"]["steps"]
    environment = steps[0]["environment"]

    def step(*commands):
        return {"name": "main", "environment": environment, "commands": list(commands)}

    def run(**body):
        answer = client.post(f"/api/projects/{project}/runs", json=body, headers=auth)
        assert answer.status_code == 202, answer.json
        return client.get(urlsplit(answer.json["links"]["self"]).path).json

    # A token REANA refuses.
    _set_token(client, auth, "not-the-right-token")
    refused = run()
    assert refused["state"] == "failed"
    assert refused["message"].startswith("REANA refused your access token")
    _set_token(client, auth)

    # REANA out of reach.
    server = api_config["CS4OD_REANA_SERVER_URL"]
    api_config["CS4OD_REANA_SERVER_URL"] = closed_url
    try:
        away = run()
    finally:
        api_config["CS4OD_REANA_SERVER_URL"] = server
    assert away["state"] == "failed"
    assert f"REANA at {closed_url} could not be reached" in away["message"]
    assert "nothing was sent" in away["message"]

    # The workflow fails on REANA: its reason and log come back.
    _edit(client, auth, project, {**generated, "workflow": {"type": "serial", "specification": {
        "steps": [step("echo about to fail && exit 3")]}}})
    failed = run()
    assert failed["state"] == "failed"
    assert "workflow failed" in failed["message"]
    assert "about to fail" in failed["log"]

    # A declared output that was not made: the ones made are kept.
    spec = {**generated, "workflow": {"type": "serial", "specification": {
        "steps": [step("mkdir -p outputs && echo made > outputs/made.txt")]}},
        "outputs": {"files": ["outputs/made.txt", "outputs/plot.png"]}}
    _edit(client, auth, project, spec)
    partial = run()
    assert partial["state"] == "failed"
    assert partial["message"] == "output outputs/plot.png was not produced"
    assert partial["outputs"] == {"present": ["outputs/made.txt"],
                                  "missing": ["outputs/plot.png"]}
    made = client.get(urlsplit(partial["links"]["outputs"]["outputs/made.txt"]).path)
    assert made.data == b"made\n"

    # Every run is still listed, each with its own reason.
    listed = client.get(f"/api/projects/{project}/runs").json["hits"]
    assert [r["state"] for r in listed] == ["failed"] * 4
    assert client.get(TOKEN_URL, headers=auth).json["set"] is True


def test_runner_choice_and_workflow_type(client, db, auth, project):
    bad = client.post(f"/api/projects/{project}/runs", json={"runner": "cloud"},
                      headers=auth)
    assert bad.status_code == 400 and bad.json["errors"][0]["field"] == "runner"

    base = f"/api/projects/{project}/reproducibility"
    assert client.get(base).json["workflow"] == "serial"
    wrong = client.put(base, json={"workflow": "snakemake"}, headers=auth)
    assert wrong.status_code == 400
    assert client.put(base, json={"workflow": "cwl"}, headers=auth).status_code == 200
    cwl = client.get(base).json
    assert cwl["workflow"] == "cwl" and cwl["generated"] is True
    assert yaml.safe_load(cwl["reana_yaml"])["workflow"]["type"] == "cwl"
    names = set(zipfile.ZipFile(io.BytesIO(
        client.get(f"{base}/bundle.zip").data)).namelist())
    assert "workflow/cwl/workflow.cwl" in names


def _submitted(db, owner, project):
    """A run on REANA submitted by its task (which queued its first poll)."""
    from cs4od_invenio.reproducibility import execution, tokens

    tokens.set_token(owner.id, REANA_TOKEN)
    row = ReproducibleRun(project_id=project, runner="reana", state="queued",
                          user_id=owner.id)
    db.session.add(row)
    db.session.commit()
    execution.execute(row.id)
    assert row.state in ("queued", "pending", "running"), row.message
    assert row.workflow == f"cs4od-{project}.1"
    return row


def test_a_token_removed_while_the_run_goes_on(db, owner, project, reana,
                                               queued_not_run):
    from cs4od_invenio.reproducibility import execution, tokens

    row = _submitted(db, owner, project)
    tokens.remove_token(owner.id)
    assert execution.poll_reana(row.id) is False
    assert row.state == "failed"
    assert "access token was removed" in row.message and row.workflow in row.message


def test_a_run_past_its_time_limit_is_stopped_on_reana(client, db, app, api_config, auth,
                                                       owner, project, reana,
                                                       queued_not_run):
    from cs4od_invenio.reproducibility import execution

    spec = yaml.safe_load(
        client.get(f"/api/projects/{project}/reproducibility").json["reana_yaml"])
    step = spec["workflow"]["specification"]["steps"][0]
    _edit(client, auth, project, {**spec, "workflow": {"type": "serial", "specification": {
        "steps": [{**step, "commands": ["sleep 60"]}]}}})
    row = _submitted(db, owner, project)
    # The test client keeps its last request's context (the API app's) pushed.
    configs = (app.config, api_config)
    for config in configs:
        config["CS4OD_REANA_RUN_TIME_LIMIT"] = 0
    try:
        assert execution.poll_reana(row.id) is False
    finally:
        for config in configs:
            config["CS4OD_REANA_RUN_TIME_LIMIT"] = 24 * 3600
    assert row.state == "failed"
    assert row.message == (
        "The run took longer than its time limit of 0 s and was stopped on REANA.")
    assert reana.find(row.workflow).status == "stopped"


def test_a_token_kept_under_another_secret_key_is_set_again(client, db, owner, auth,
                                                            project):
    from sqlalchemy_utils import StringEncryptedType

    _set_token(client, auth)
    # As if the site's SECRET_KEY had changed since the token was stored.
    other = StringEncryptedType(key="the-site's-former-secret-key")
    db.session.execute(
        text("UPDATE cs4od_reana_tokens SET token = :t WHERE user_id = :u"),
        {"t": other.process_bind_param(REANA_TOKEN, db.engine.dialect), "u": owner.id})
    db.session.commit()

    # Its status is read without decrypting it.
    assert client.get(TOKEN_URL, headers=auth).json["set"] is True
    answer = client.post(f"/api/projects/{project}/runs", headers=auth)
    run = client.get(urlsplit(answer.json["links"]["self"]).path).json
    assert run["state"] == "failed"
    assert "can no longer be read" in run["message"] and "set it again" in run["message"]
    # Replacing it does not need the old one.
    assert _set_token(client, auth)["set"] is True
    assert client.delete(TOKEN_URL, headers=auth).json["set"] is False
