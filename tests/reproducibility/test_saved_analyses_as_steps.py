"""Charts and analyses saved on a project are steps of its reana.yaml after the
notebooks (serial and CWL), so that a run, or the bundle, reproduces them."""

import io
import json
import zipfile
from urllib.parse import urlsplit

import pytest
import yaml
from helpers import WORLDPOPULATION_CSV as CSV
from helpers import link_worldpopulation

PNG = b"\x89PNG\r\n\x1a\n"
CHART, TABLE = "Shares-of-the-world-population", "Share-in-1500-by-region"


@pytest.fixture()
def project(published_project, projects_service, owner, location, resource_types):
    dataset = link_worldpopulation(projects_service, owner, published_project.id)
    return published_project.id, dataset


def _save(client, auth, project_id, body):
    answer = client.post(f"/api/projects/{project_id}/explorations", json=body,
                         headers=auth)
    assert answer.status_code == 202 and answer.json["status"] == "succeeded", answer.json
    return answer.json


def test_saved_chart_and_analysis_run_after_the_notebook(client, db, auth, project):
    project_id, dataset = project
    source = [{"record_id": dataset, "key": CSV.name}]
    years = CSV.read_text().splitlines()[0].split(",")[1:]
    _save(client, auth, project_id, {
        "kind": "chart", "title": "Shares of the world population", "sources": source,
        "spec": {"type": "line", "x": "year", "y": "share", "group": "Region",
                 "unpivot": {"columns": years, "key": "year", "value": "share"}}})
    _save(client, auth, project_id, {
        "kind": "analysis", "title": "Share in 1500 by region", "sources": source,
        "spec": {"kind": "group_by", "by": ["Region"],
                 "aggregations": [{"column": "1500", "function": "sum"}]}})

    base = f"/api/projects/{project_id}/reproducibility"
    spec = yaml.safe_load(client.get(base).json["reana_yaml"])
    steps = spec["workflow"]["specification"]["steps"]
    assert [s["name"] for s in steps] == ["worldpopulation", CHART, TABLE]
    assert steps[1]["commands"] == [
        f"mkdir -p outputs && python code/{CHART}.py data/{CSV.name}"
        f" outputs/{CHART}.png outputs/{CHART}.json"]
    assert steps[2]["commands"] == [
        f"mkdir -p outputs && python code/{TABLE}.py data/{CSV.name}"
        f" > outputs/{TABLE}.json"]
    for path in (f"outputs/{CHART}.png", f"outputs/{CHART}.json", f"outputs/{TABLE}.json"):
        assert path in spec["outputs"]["files"]
    assert f"code/{CHART}.py" in spec["inputs"]["files"]
    bundle = zipfile.ZipFile(io.BytesIO(client.get(f"{base}/bundle.zip").data))
    assert b"matplotlib" in bundle.read(f"code/{CHART}.py")

    for workflow in ("serial", "cwl"):
        assert client.put(base, json={"workflow": workflow}, headers=auth).status_code == 200
        run = client.post(f"/api/projects/{project_id}/runs", headers=auth).json
        assert run["runner"] == "local"
        assert run["state"] == "finished", (workflow, run["message"], run["log"])
        links = run["links"]["outputs"]
        assert client.get(urlsplit(links[f"outputs/{CHART}.png"]).path).data.startswith(PNG)
        shares = json.loads(client.get(urlsplit(links[f"outputs/{TABLE}.json"]).path).data)
        assert {"Region": "Africa", "1500_sum": 18.8} in shares, workflow
        points = json.loads(client.get(urlsplit(links[f"outputs/{CHART}.json"]).path).data)
        assert {"x": 2150, "group": "Africa", "y": 23.7} in points, workflow
        assert "outputs/plot.png" in run["outputs"]["present"]
