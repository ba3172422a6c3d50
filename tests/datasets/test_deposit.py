"""From a project, its owner deposits a dataset or a notebook: published, linked, or refused
with field messages and nothing left behind."""

import io
import json
from pathlib import Path

import nbformat
import pytest
from invenio_rdm_records.proxies import current_rdm_records_service

from helpers import token_for
from projects_fixtures import refresh

CSV = Path(__file__).parent.parent / "data" / "World_historical_and_predicted_populations_in_percentage.csv"

ADA = {"type": "personal", "given_name": "Ada", "family_name": "Lovelace",
       "affiliation": "University of London", "orcid": "0000-0002-1825-0097"}


def _notebook_bytes():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import pandas as pd")]
    return nbformat.writes(notebook).encode()


def _post(client, token, project_id, kind, metadata, files):
    return client.post(
        f"/api/projects/{project_id}/deposits",
        data={"kind": kind, "metadata": json.dumps(metadata),
              "files": [(io.BytesIO(content), name) for name, content in files]},
        headers={"authorization": f"Bearer {token}", "accept": "application/json"},
        content_type="multipart/form-data",
    )


def _drafts_of(user):
    current_rdm_records_service.indexer.refresh()
    current_rdm_records_service.draft_indexer.refresh()
    return current_rdm_records_service.search_drafts(user.identity).total


@pytest.fixture()
def token(owner, db):
    return token_for(owner, db)


def test_dataset_and_notebook_join_the_project(client, db, owner, token, published_project,
                                               resource_types, location):
    dataset = _post(client, token, published_project.id, "dataset", {
        "title": "World population shares", "description": "<p>By region, 1500-2150.</p>",
        "creators": [ADA, {"type": "organizational", "name": "REANA team, CERN"}],
    }, [(CSV.name, CSV.read_bytes())])
    assert dataset.status_code == 201, dataset.json
    record = dataset.json["record"]
    assert record["resource_type"] == "dataset"
    assert record["files"] == [CSV.name]
    project = dataset.json["project"]
    assert project["is_published"] and project["revision_id"] > 1
    assert [d["id"] for d in project["metadata"]["datasets"]] == [record["id"]]

    stored = current_rdm_records_service.read(owner.identity, record["id"]).to_dict()
    ada = stored["metadata"]["creators"][0]
    assert ada["person_or_org"]["identifiers"] == [
        {"scheme": "orcid", "identifier": "0000-0002-1825-0097"}]
    assert ada["affiliations"] == [{"name": "University of London"}]
    assert stored["metadata"]["creators"][1]["person_or_org"]["name"] == "REANA team, CERN"

    notebook = _post(client, token, published_project.id, "notebook", {
        "title": "Population shares, charted", "description": "A notebook.",
        "creators": [ADA]}, [("chart.ipynb", _notebook_bytes())])
    assert notebook.status_code == 201, notebook.json
    assert notebook.json["record"]["resource_type"] == "software-computationalnotebook"
    linked = notebook.json["project"]["metadata"]
    assert [n["title"] for n in linked["notebooks"]] == ["Population shares, charted"]
    assert len(linked["datasets"]) == 1  # the dataset stays linked


def test_refusals_name_the_fields_and_leave_nothing(client, db, owner, stranger, token,
                                                    published_project, resource_types,
                                                    location):
    empty = _post(client, token, published_project.id, "dataset", {"creators": []}, [])
    assert empty.status_code == 400
    fields = {e["field"] for e in empty.json["errors"]}
    assert fields == {"metadata.title", "metadata.description", "metadata.creators", "files"}

    good = {"title": "A notebook", "description": "Text.", "creators": [ADA]}
    not_notebook = _post(client, token, published_project.id, "notebook", good,
                         [("table.csv", b"a,b\n1,2\n")])
    assert not_notebook.status_code == 400
    assert not_notebook.json["errors"] == [{"field": "files.0", "messages": [
        "table.csv is not a Jupyter notebook (.ipynb)."]}]
    broken = _post(client, token, published_project.id, "notebook", good,
                   [("broken.ipynb", b'{"cells": [}')])
    assert broken.status_code == 400
    assert "broken.ipynb: The file is not valid JSON" in broken.json["errors"][0]["messages"][0]

    bad_orcid = _post(client, token, published_project.id, "dataset", {
        **good, "creators": [{**ADA, "orcid": "0000-0002-1825-0096"}]},
        [("a.csv", b"a,b\n1,2\n")])
    assert bad_orcid.status_code == 400, bad_orcid.json
    assert "identifiers" in bad_orcid.json["errors"][0]["field"]

    other = _post(client, token_for(stranger, db), published_project.id, "dataset", good,
                  [("a.csv", b"a,b\n1,2\n")])
    assert other.status_code == 403
    assert _drafts_of(owner) == 0 and _drafts_of(stranger) == 0
    refresh()
    project = client.get(f"/api/projects/{published_project.id}").json
    assert project["metadata"].get("datasets", []) == []


def test_unpublished_changes_are_not_published_for_the_owner(
        client, db, owner, token, projects_service, published_project, resource_types,
        location):
    projects_service.edit(owner.identity, published_project.id)
    response = _post(client, token, published_project.id, "dataset", {
        "title": "Extra table", "description": "Text.", "creators": [ADA]},
        [("a.csv", b"a,b\n1,2\n")])
    assert response.status_code == 201, response.json
    assert response.json["project"]["is_draft"] is True
    published = client.get(f"/api/projects/{published_project.id}").json
    assert published["metadata"].get("datasets", []) == []
    draft = projects_service.read_draft(owner.identity, published_project.id).to_dict()
    assert [d["title"] for d in draft["metadata"]["datasets"]] == ["Extra table"]
