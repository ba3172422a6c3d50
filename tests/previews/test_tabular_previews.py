"""Publishing a dataset makes a preview of each of its tables; readers fetch it over REST.

Celery runs eagerly in tests: the preview is made as the publication commits.
"""

import csv
import io
from pathlib import Path

from invenio_rdm_records.proxies import current_rdm_records_service

from cs4od_invenio.previews.models import TabularPreview
from helpers import publish_with_files, token_for

CSV = Path(__file__).parent.parent / "data" / "World_historical_and_predicted_populations_in_percentage.csv"


def _publish(identity, files, access="public"):
    return publish_with_files(identity, files, "World population shares", access)


def _previews(client, record_id, token=None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/records/{record_id}/previews", headers=headers)


def test_publishing_previews_every_table(client, db, owner, location, resource_types):
    table = CSV.read_bytes()
    record_id = _publish(owner.identity, {
        CSV.name: table, "README.md": b"# Notes\n", "broken.csv": b"\x89PNG\r\n\x1a\n\0\0\0"})
    answer = _previews(client, record_id)
    assert answer.status_code == 200
    hits = {hit["key"]: hit for hit in answer.json["hits"]}
    assert sorted(hits) == [CSV.name, "broken.csv"]  # README.md is not a table

    rows = list(csv.reader(io.StringIO(table.decode())))
    good = hits[CSV.name]
    assert good["status"] == "succeeded"
    preview = good["preview"]
    assert preview["row_count"] == len(rows) - 1
    assert [c["name"] for c in preview["columns"]] == rows[0]
    assert [str(v) for v in preview["rows"][0]][:1] == rows[1][:1]
    column_2050 = next(c for c in preview["columns"] if c["name"] == "2050")
    values = [float(r[rows[0].index("2050")]) for r in rows[1:]]
    assert column_2050["type"] == "number"
    assert column_2050["stats"]["max"] == max(values)

    bad = hits["broken.csv"]
    assert bad["status"] == "failed"
    assert "preview" not in bad
    assert bad["message"]  # a reason for the uploader
    # The record and its other files are untouched by a failed preview.
    record = current_rdm_records_service.read(owner.identity, record_id).to_dict()
    assert sorted(record["files"]["entries"]) == sorted([CSV.name, "README.md", "broken.csv"])


def test_spreadsheet_formulas_are_counted_not_run(client, db, owner, location,
                                                  resource_types):
    record_id = _publish(owner.identity, {
        "cells.csv": b"name,note\nalpha,=HYPERLINK(\"http://x\")\nbeta,@SUM(1)\ngamma,plain\n"})
    hit = _previews(client, record_id).json["hits"][0]
    note = next(c for c in hit["preview"]["columns"] if c["name"] == "note")
    assert note["stats"]["formula_like"] == 2
    assert ['alpha', '=HYPERLINK("http://x")'] in hit["preview"]["rows"]


def test_restricted_files_are_not_previewed_for_strangers(client, db, owner, stranger,
                                                         location, resource_types):
    record_id = _publish(owner.identity, {CSV.name: CSV.read_bytes()}, access="restricted")
    assert _previews(client, record_id).status_code == 403
    assert _previews(client, record_id, token_for(stranger, db)).status_code == 403
    mine = _previews(client, record_id, token_for(owner, db))
    assert mine.status_code == 200 and mine.json["hits"][0]["status"] == "succeeded"
    assert _previews(client, "nothi-ng000").status_code == 404


def test_a_preview_left_running_by_a_dead_worker_is_made_again(client, db, owner, location,
                                                               resource_types, app,
                                                               monkeypatch):
    record_id = _publish(owner.identity, {CSV.name: CSV.read_bytes()})
    row = TabularPreview.query.filter_by(record_id=record_id).one()
    row.status, row.result = "running", None
    db.session.commit()
    for one in (app, app.wsgi_app.mounts["/api"]):
        monkeypatch.setitem(one.config, "CS4OD_PREVIEW_STALE_AFTER", -1)
    # Asking for the previews finds it stale and makes it again.
    hit = _previews(client, record_id).json["hits"][0]
    assert hit["status"] == "succeeded"
    assert TabularPreview.query.filter_by(record_id=record_id).one().attempts == 2


def test_asking_again_after_a_failure(client, db, owner, location, resource_types):
    record_id = _publish(owner.identity, {"empty.csv": b""})
    hit = _previews(client, record_id).json["hits"][0]
    assert hit["status"] == "failed"
    auth = {"authorization": f"Bearer {token_for(owner, db)}"}
    again = client.post(f"/api/records/{record_id}/previews/empty.csv", headers=auth)
    assert again.status_code == 202
    assert again.json["status"] == "failed" and again.json["message"] == hit["message"]
    assert TabularPreview.query.filter_by(record_id=record_id).one().attempts == 2
    missing = client.post(f"/api/records/{record_id}/previews/other.csv", headers=auth)
    assert missing.status_code == 404


def test_file_locations_with_and_without_a_scheme(tmp_path):
    from cs4od_invenio.previews.service import disk_path

    data = tmp_path / "my data" / "table.csv"
    data.parent.mkdir()
    data.write_text("a\n1\n")
    assert disk_path(str(data)) == str(data)
    assert disk_path(data.as_uri()) == str(data)  # file:///…/my%20data/table.csv
    assert disk_path("s3://bucket/table.csv") is None
    assert disk_path(str(tmp_path / "missing.csv")) is None
