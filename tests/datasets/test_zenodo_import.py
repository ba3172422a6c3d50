"""Importing a Zenodo record into a project, against a local Zenodo replaying real answers.

Celery runs eagerly in tests: the task runs inside the request that queues it.
"""

import socket
from urllib.parse import urlsplit

import pytest
from invenio_rdm_records.proxies import current_rdm_records_service

from cs4od_invenio.datasets.importer import request_import
from cs4od_invenio.datasets.models import ZenodoImport
from helpers import token_for


@pytest.fixture(scope="module")
def app_config(app_config, zenodo):
    app_config["CS4OD_ZENODO_URL"] = zenodo.url
    app_config["CS4OD_ZENODO_TIMEOUT"] = (2, 1)
    return app_config


@pytest.fixture()
def config(app, monkeypatch):
    """Change a configuration key of both the UI and the REST API application."""
    apps = [app, app.wsgi_app.mounts["/api"]]

    def set_(key, value):
        for one in apps:
            monkeypatch.setitem(one.config, key, value)

    return set_


@pytest.fixture()
def token(owner, db):
    return token_for(owner, db)


@pytest.fixture()
def ready(location, resource_types, licenses, relation_types, zenodo):
    zenodo.faults.clear()
    zenodo.requests.clear()
    return zenodo


def _import(client, token, project_id, reference):
    return client.post(
        f"/api/projects/{project_id}/zenodo-imports", json={"reference": reference},
        headers={"authorization": f"Bearer {token}", "accept": "application/json"})


def _status(client, token, answer):
    return client.get(urlsplit(answer.json["links"]["self"]).path,
                      headers={"authorization": f"Bearer {token}"})


def _records(identity):
    current_rdm_records_service.indexer.refresh()
    current_rdm_records_service.draft_indexer.refresh()
    return (current_rdm_records_service.search(identity).total,
            current_rdm_records_service.search_drafts(identity).total)


def _datasets(projects_service, identity, project_id):
    project = projects_service.read(identity, project_id).to_dict()
    return [d["id"] for d in project["metadata"].get("datasets", [])]


def test_import_by_url_copies_verified_files_and_links_the_project(
        client, db, owner, token, published_project, projects_service, ready):
    answer = _import(client, token, published_project.id,
                     "https://zenodo.org/records/4924875")
    assert answer.status_code == 202, answer.json
    assert answer.json["status"] == "succeeded", answer.json["message"]
    assert answer.json["message"] is None  # nothing left behind from the metadata
    record_id = answer.json["record_id"]

    record = current_rdm_records_service.read(owner.identity, record_id).to_dict()
    assert record["metadata"]["title"] == "Test data for the Pooch library"
    provenance = record["metadata"]["related_identifiers"][0]
    assert (provenance["identifier"], provenance["scheme"]) == ("10.5281/zenodo.4924875",
                                                               "doi")
    assert provenance["relation_type"]["id"] == "isidenticalto"
    assert "doi" not in record["pids"]  # no DOI minted for the copy
    assert {k: e["checksum"] for k, e in record["files"]["entries"].items()} == {
        "store.zip": "md5:7008231125631739b64720d1526619ae",
        "tiny-data.txt": "md5:70e2afd3fd7e336ae478b1e740a5f08e"}
    assert record["parent"]["access"]["owned_by"] == {"user": str(owner.id)}
    content = current_rdm_records_service.files.get_file_content(
        owner.identity, record_id, "tiny-data.txt")
    with content.get_stream("rb") as stream:
        assert stream.read().startswith(b"# A tiny data file for test purposes only")

    assert _datasets(projects_service, owner.identity, published_project.id) == [record_id]
    status = _status(client, token, answer)
    assert status.status_code == 200
    assert status.json["status"] == "succeeded"
    assert status.json["progress"]["files_done"] == 2
    assert status.json["progress"]["bytes_done"] == 839 == status.json["progress"]["bytes_total"]
    assert status.json["links"]["record_html"].endswith(f"/records/{record_id}")


def test_importing_again_updates_the_same_copy(
        client, db, owner, token, published_project, projects_service, ready):
    first = _import(client, token, published_project.id, "10.5281/zenodo.7078768")
    assert first.json["status"] == "succeeded", first.json["message"]
    assert "notes not imported" in first.json["message"]  # said, not dropped silently
    record_id = first.json["record_id"]
    # Someone edits the copy here; importing again brings Zenodo's metadata back.
    rdm = current_rdm_records_service
    draft = rdm.edit(owner.identity, record_id)
    data = draft.to_dict()
    data["metadata"]["title"] = "Changed here"
    rdm.update_draft(owner.identity, record_id, data)
    rdm.publish(owner.identity, record_id)
    files_before = len(ready.requests)

    again = _import(client, token, published_project.id, "https://zenodo.org/record/7078768")
    assert again.json["status"] == "succeeded", again.json["message"]
    assert again.json["record_id"] == record_id
    record = rdm.read(owner.identity, record_id).to_dict()
    assert record["metadata"]["title"] == "Frictionless Data Test Dataset Without Descriptor"
    assert sorted(record["files"]["entries"]) == ["capitals.csv", "table.xls"]
    # Same files on Zenodo: only the record was fetched again, no file.
    assert ready.requests[files_before:] == ["/api/records/7078768"]
    assert _records(owner.identity)[0] == 1
    assert _datasets(projects_service, owner.identity, published_project.id) == [record_id]
    assert ZenodoImport.query.filter_by(zenodo_id="7078768").count() == 1


def _fails(client, token, project, reference, owner, projects_service):
    before = _records(owner.identity)
    answer = _import(client, token, project.id, reference)
    assert answer.status_code == 202, answer.json
    assert answer.json["status"] == "failed"
    assert _records(owner.identity) == before  # nothing half-imported
    assert _datasets(projects_service, owner.identity, project.id) == []
    return answer.json["message"]


def test_a_record_zenodo_does_not_have(client, db, owner, token, published_project,
                                       projects_service, ready):
    message = _fails(client, token, published_project, "68358988", owner, projects_service)
    assert message == "Zenodo has no record 68358988."


@pytest.mark.parametrize("path, fault, expected", [
    ("/api/records/4924875/files/tiny-data.txt/content", "corrupt",
     "tiny-data.txt does not match its checksum: Zenodo lists "
     "md5:70e2afd3fd7e336ae478b1e740a5f08e, the bytes received give md5:"),
    ("/api/records/4924875/files/tiny-data.txt/content", "truncate",
     "The download of tiny-data.txt was interrupted after 0 of 59 bytes"),
    ("/api/records/4924875/files/tiny-data.txt/content", "stall",
     "Zenodo (http://127.0.0.1:"),
    ("/api/records/4924875", "error", "Zenodo answered HTTP 503 for record 4924875; it "
                                      "asks to wait 60 s."),
])
def test_network_faults_fail_cleanly(client, db, owner, token, published_project,
                                     projects_service, ready, path, fault, expected):
    ready.faults[path] = fault
    message = _fails(client, token, published_project, "4924875", owner, projects_service)
    assert message.startswith(expected), message


def test_zenodo_unreachable(client, db, owner, token, published_project, projects_service,
                            ready, config):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    config("CS4OD_ZENODO_URL", f"http://127.0.0.1:{closed}")
    message = _fails(client, token, published_project, "4924875", owner, projects_service)
    assert message == (f"Zenodo (http://127.0.0.1:{closed}) could not be reached while "
                       "fetching record 4924875: ConnectionError.")


def test_oversize_files_are_refused_before_any_download(
        client, db, owner, token, published_project, projects_service, ready, config):
    config("CS4OD_ZENODO_MAX_FILE_SIZE", 100)
    message = _fails(client, token, published_project, "4924875", owner, projects_service)
    assert message == "store.zip is 780 bytes; imports are limited to 100 bytes per file."
    assert ready.requests == ["/api/records/4924875"]


def test_a_failed_update_keeps_the_earlier_copy(client, db, owner, token, published_project,
                                                projects_service, ready):
    first = _import(client, token, published_project.id, "4924875")
    record_id = first.json["record_id"]
    revision = current_rdm_records_service.read(owner.identity, record_id).data["revision_id"]
    ready.faults["/api/records/4924875"] = "error"
    again = _import(client, token, published_project.id, "4924875")
    assert again.json["status"] == "failed"
    assert again.json["record_id"] == record_id
    record = current_rdm_records_service.read(owner.identity, record_id)
    assert record.data["revision_id"] == revision
    assert _datasets(projects_service, owner.identity, published_project.id) == [record_id]


def test_bad_references_and_strangers_are_refused(client, db, owner, stranger, token,
                                                  published_project, ready):
    answer = _import(client, token, published_project.id, "https://example.org/records/1")
    assert answer.status_code == 400
    assert answer.json["errors"][0]["field"] == "reference"
    assert "is not a Zenodo DOI" in answer.json["errors"][0]["messages"][0]
    other = _import(client, token_for(stranger, db), published_project.id, "4924875")
    assert other.status_code == 403
    assert ready.requests == []


def test_command_line_import_without_a_project(app, db, location, resource_types, licenses,
                                               relation_types, ready):
    from cs4od_invenio.cli import cs4od

    result = app.test_cli_runner().invoke(
        cs4od, ["zenodo", "import", "10.5281/zenodo.4924875"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    row = ZenodoImport.query.filter_by(zenodo_id="4924875").one()
    assert row.status == "succeeded" and row.record_id
    assert f"/records/{row.record_id}" in result.output


def test_when_the_files_differ_a_new_version_restores_zenodos(
        client, db, owner, token, published_project, projects_service, ready):
    """Someone published a new version of the copy here with other files; importing
    again makes a newer version with Zenodo's files and links it in place of the old."""
    import io

    rdm = current_rdm_records_service
    first = _import(client, token, published_project.id, "4924875")
    first_id = first.json["record_id"]
    local = rdm.new_version(owner.identity, first_id)
    local_id = local.id
    rdm.draft_files.init_files(owner.identity, local.id, [{"key": "mine.csv"}])
    rdm.draft_files.set_file_content(owner.identity, local.id, "mine.csv",
                                     io.BytesIO(b"a,b\n1,2\n"))
    rdm.draft_files.commit_file(owner.identity, local.id, "mine.csv")
    data = local.to_dict()
    data["metadata"]["publication_date"] = "2021-06-10"
    rdm.update_draft(owner.identity, local.id, data)
    rdm.publish(owner.identity, local.id)

    again = _import(client, token, published_project.id, "4924875")
    assert again.json["status"] == "succeeded", again.json["message"]
    newest = again.json["record_id"]
    assert newest not in (first_id, local_id)
    record = rdm.read(owner.identity, newest).to_dict()
    assert sorted(record["files"]["entries"]) == ["store.zip", "tiny-data.txt"]
    assert record["versions"]["index"] == 3
    assert _datasets(projects_service, owner.identity, published_project.id) == [newest]


def test_an_import_under_way_is_not_started_twice(app, db, owner, published_project,
                                                  ready, monkeypatch):
    first = request_import(owner.identity, "4924875", published_project.id,
                           user_id=owner.id)
    db.session.commit()
    assert first.status == "queued"
    second = request_import(owner.identity, "https://zenodo.org/records/4924875",
                            published_project.id, user_id=owner.id)
    assert second.id == first.id and second.status == "queued"
    # A worker that died leaves it "running"; after the stale delay it may start again.
    first.status = "running"
    db.session.commit()
    monkeypatch.setitem(app.config, "CS4OD_ZENODO_IMPORT_STALE_AFTER", -1)
    third = request_import(owner.identity, "4924875", published_project.id,
                           user_id=owner.id)
    assert third.id == first.id and third.status == "queued"


def test_the_task_retries_while_zenodo_answers_503(app, db, owner, published_project,
                                                   ready, monkeypatch):
    from cs4od_invenio.datasets.tasks import import_zenodo_record

    row = request_import(owner.identity, "4924875", published_project.id,
                         user_id=owner.id)
    db.session.commit()
    ready.faults["/api/records/4924875"] = "error"
    monkeypatch.setitem(app.config, "CS4OD_ZENODO_IMPORT_RETRIES", 2)
    monkeypatch.setattr(import_zenodo_record.app.conf, "task_always_eager", False)
    first = import_zenodo_record.apply(args=[str(row.id)])
    assert first.state == "RETRY"
    row = db.session.get(ZenodoImport, row.id)
    assert row.status == "queued"
    assert row.message == ("Zenodo answered HTTP 503 for record 4924875; it asks to wait "
                           "60 s. Trying again (attempt 2 of 3).")
    # No retry left: the import fails with Zenodo's answer as the reason.
    monkeypatch.setitem(app.config, "CS4OD_ZENODO_IMPORT_RETRIES", 0)
    last = import_zenodo_record.apply(args=[str(row.id)])
    assert last.state == "SUCCESS"  # the task ended; the import did not
    row = db.session.get(ZenodoImport, row.id)
    assert row.status == "failed"
    assert row.message.startswith("Zenodo answered HTTP 503 for record 4924875")
