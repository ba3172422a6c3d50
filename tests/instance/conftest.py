"""Fixtures of the instance tests: one published dataset made over the REST API."""

from pathlib import Path

import pytest
from helpers import dataset_payload

DATA = Path(__file__).parent.parent / "data"
CSV = DATA / "World_historical_and_predicted_populations_in_percentage.csv"


@pytest.fixture()
def published_dataset(client, owner_token, location, resource_types, search_clear):
    """Deposit, upload a CSV and publish through /api/records like an API client."""
    auth = {"authorization": f"Bearer {owner_token}"}
    headers = {"content-type": "application/json", "accept": "application/json", **auth}
    draft = client.post(
        "/api/records", json=dataset_payload("World population shares"), headers=headers
    )
    assert draft.status_code == 201, draft.json
    rec_id = draft.json["id"]
    files = f"/api/records/{rec_id}/draft/files"
    assert client.post(files, json=[{"key": CSV.name}], headers=headers).status_code == 201
    upload = client.put(
        f"{files}/{CSV.name}/content",
        data=CSV.read_bytes(),
        headers={"content-type": "application/octet-stream", **auth},
    )
    assert upload.status_code == 200, upload.json
    assert client.post(f"{files}/{CSV.name}/commit", headers=auth).status_code == 200
    published = client.post(
        f"/api/records/{rec_id}/draft/actions/publish", headers=headers
    )
    assert published.status_code == 202, published.json
    from invenio_rdm_records.proxies import current_rdm_records_service

    current_rdm_records_service.indexer.refresh()
    return published.json
