"""A project's reana.yaml generated from its records, validated by reana-client, edited,
bundled, and run on the local runner (a Celery task; eager in tests): the seed's
worldpopulation example ends with outputs/plot.png."""

import io
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from helpers import WORLDPOPULATION_CSV as CSV
from helpers import WORLDPOPULATION_NOTEBOOK as NOTEBOOK
from helpers import link_worldpopulation, publish_with_files, token_for

from cs4od_invenio.reproducibility.runs import ROOT


@pytest.fixture()
def project(published_project, projects_service, owner, location, resource_types):
    link_worldpopulation(projects_service, owner, published_project.id)
    return published_project.id


def test_generated_spec_runs_the_notebook_on_its_data(client, db, auth, project):
    answer = client.get(f"/api/projects/{project}/reproducibility")
    assert answer.status_code == 200 and answer.json["generated"] is True
    spec = yaml.safe_load(answer.json["reana_yaml"])
    # The notebook's parameters cell named ../data/<csv> and ../results/plot.png.
    assert spec["inputs"]["parameters"]["input_file"] == f"data/{CSV.name}"
    assert spec["inputs"]["parameters"]["output_file"] == "outputs/plot.png"
    assert "outputs/plot.png" in spec["outputs"]["files"]
    assert sorted(spec["inputs"]["files"]) == sorted(
        [f"code/{NOTEBOOK.name}", f"data/{CSV.name}"])

    check = client.post(f"/api/projects/{project}/reproducibility/validate",
                        json={"reana_yaml": answer.json["reana_yaml"]}, headers=auth)
    assert check.status_code == 200
    assert check.json["valid"] is True, check.json["problems"]

    bundle = client.get(f"/api/projects/{project}/reproducibility/bundle.zip")
    names = zipfile.ZipFile(io.BytesIO(bundle.data)).namelist()
    assert {"reana.yaml", "README.md", f"code/{NOTEBOOK.name}", f"data/{CSV.name}"} <= set(
        names)

    run = client.post(f"/api/projects/{project}/runs", headers=auth)
    assert run.status_code == 202
    assert run.json["state"] == "finished", (run.json["message"], run.json["log"])
    # The plot, and the executed notebook (papermill's output).
    assert sorted(run.json["outputs"]["present"]) == [
        "outputs/plot.png", f"outputs/{NOTEBOOK.name}"]
    image = client.get(urlsplit(run.json["links"]["outputs"]["outputs/plot.png"]).path)
    assert image.status_code == 200 and image.data[:8] == b"\x89PNG\r\n\x1a\n"
    listed = client.get(f"/api/projects/{project}/runs").json["hits"]
    assert [r["id"] for r in listed] == [run.json["id"]]


def test_an_edited_spec_is_checked_before_it_is_kept(client, db, auth, project):
    generated = client.get(f"/api/projects/{project}/reproducibility").json["reana_yaml"]
    broken = client.put(f"/api/projects/{project}/reproducibility",
                        json={"reana_yaml": "version: 0.3.0\ninputs: [unclosed\n"},
                        headers=auth)
    assert broken.status_code == 400
    assert "not valid YAML" in broken.json["errors"][0]["messages"][0]
    # Nothing was kept: the generated reana.yaml still applies.
    again = client.get(f"/api/projects/{project}/reproducibility").json
    assert again["generated"] is True and again["reana_yaml"] == generated

    edited = generated.replace("outputs/plot.png", "outputs/africa.png")
    saved = client.put(f"/api/projects/{project}/reproducibility",
                       json={"reana_yaml": edited}, headers=auth)
    assert saved.status_code == 200, saved.json
    now = client.get(f"/api/projects/{project}/reproducibility").json
    assert now["generated"] is False and "outputs/africa.png" in now["reana_yaml"]
    run = client.post(f"/api/projects/{project}/runs", headers=auth).json
    assert run["state"] == "finished", (run["message"], run["log"])
    assert "outputs/africa.png" in run["outputs"]["present"]

    assert client.delete(f"/api/projects/{project}/reproducibility",
                         headers=auth).status_code == 204
    assert client.get(f"/api/projects/{project}/reproducibility").json["generated"]


def test_a_run_whose_output_is_missing_fails_with_the_reason(client, db, auth, project):
    generated = client.get(f"/api/projects/{project}/reproducibility").json["reana_yaml"]
    spec = yaml.safe_load(generated)
    spec["outputs"]["files"].append("outputs/table.csv")
    client.put(f"/api/projects/{project}/reproducibility",
               json={"reana_yaml": yaml.safe_dump(spec)}, headers=auth)
    run = client.post(f"/api/projects/{project}/runs", headers=auth).json
    assert run["state"] == "failed"
    assert "outputs/table.csv was not produced" in run["message"]
    assert "outputs/plot.png" in run["outputs"]["present"]
    assert run["outputs"]["missing"] == ["outputs/table.csv"]


def test_a_run_sees_neither_the_instance_nor_the_data_folder(client, db, app, auth,
                                                            project):
    """The local runner's sandbox (CS4OD_RUNNER_SANDBOX, "bwrap" by default): the
    notebook still makes its plot, but the instance's invenio.cfg (SECRET_KEY) and
    .data/ are not there for it."""
    hidden = [Path(app.instance_path) / "invenio.cfg", ROOT / "invenio.cfg", ROOT / ".data"]
    assert all(path.exists() for path in hidden)
    spec = yaml.safe_load(
        client.get(f"/api/projects/{project}/reproducibility").json["reana_yaml"])
    step = spec["workflow"]["specification"]["steps"][0]
    step["commands"] = [f"test ! -e {path}" for path in hidden] + step["commands"]
    saved = client.put(f"/api/projects/{project}/reproducibility",
                       json={"reana_yaml": yaml.safe_dump(spec)}, headers=auth)
    assert saved.status_code == 200, saved.json
    run = client.post(f"/api/projects/{project}/runs", headers=auth).json
    assert app.config["CS4OD_RUNNER_SANDBOX"] == "bwrap"
    assert run["state"] == "finished", (run["message"], run["log"])
    assert "outputs/plot.png" in run["outputs"]["present"]


def test_strangers_may_read_but_not_run(client, db, stranger, project):
    stranger_auth = {"authorization": f"Bearer {token_for(stranger, db)}"}
    assert client.get(f"/api/projects/{project}/reproducibility",
                      headers=stranger_auth).status_code == 200
    assert client.post(f"/api/projects/{project}/runs",
                       headers=stranger_auth).status_code == 403
    assert client.put(f"/api/projects/{project}/reproducibility",
                      json={"reana_yaml": "version: 0.3.0"},
                      headers=stranger_auth).status_code == 403


def test_tables_of_the_same_name_in_two_datasets(client, db, owner, auth, project,
                                                 projects_service):
    other = publish_with_files(owner.identity, {CSV.name: CSV.read_bytes()}, CSV.name)
    draft = projects_service.edit(owner.identity, project)
    data = draft.to_dict()
    data["metadata"]["datasets"].append({"id": other})
    for field in ("datasets", "notebooks", "sdgs", "domains"):
        data["metadata"][field] = [{"id": x["id"]} for x in data["metadata"].get(field, [])]
    projects_service.update_draft(owner.identity, project, {
        "metadata": data["metadata"], "access": data["access"]})
    projects_service.publish(owner.identity, project)
    spec = yaml.safe_load(client.get(f"/api/projects/{project}/reproducibility")
                          .json["reana_yaml"])
    assert f"data/{CSV.name}" in spec["inputs"]["files"]
    assert f"data/{other}-{CSV.name}" in spec["inputs"]["files"]
    assert spec["inputs"]["parameters"]["input_file"] == f"data/{CSV.name}"
