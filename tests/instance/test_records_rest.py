"""An RDM dataset record goes from deposit to search over the REST API."""

from .conftest import CSV


def test_published_dataset_is_found_by_anonymous_search(client, published_dataset):
    rec_id = published_dataset["id"]
    assert published_dataset["status"] == "published"

    found = client.get("/api/records", query_string={"q": "world population"})
    assert found.status_code == 200
    hits = found.json["hits"]["hits"]
    assert [h["id"] for h in hits] == [rec_id]
    assert hits[0]["metadata"]["resource_type"]["id"] == "dataset"
    assert hits[0]["metadata"]["creators"][0]["person_or_org"]["name"] == "Lovelace, Ada"

    assert client.get("/api/records", query_string={"q": "no-such-word"}).json[
        "hits"]["total"] == 0


def test_published_file_downloads_unchanged(client, published_dataset):
    rec_id = published_dataset["id"]
    listing = client.get(f"/api/records/{rec_id}/files").json
    assert [e["key"] for e in listing["entries"]] == [CSV.name]
    content = client.get(f"/api/records/{rec_id}/files/{CSV.name}/content")
    assert content.status_code == 200
    assert content.data == CSV.read_bytes()


def test_invalid_deposit_is_rejected_with_field_errors(client, owner, resource_types):
    owner.login(client)
    draft = client.post(
        "/api/records",
        json={"metadata": {"title": "no type"}, "access": {"record": "public"}},
        headers={"accept": "application/json"},
    )
    # RDM keeps an incomplete draft and reports what is missing on publish.
    assert draft.status_code == 201
    errors = {e["field"] for e in draft.json["errors"]}
    assert {"metadata.resource_type", "metadata.creators"} <= errors
    publish = client.post(f"/api/records/{draft.json['id']}/draft/actions/publish")
    assert publish.status_code == 400
    assert "metadata.resource_type" in {e["field"] for e in publish.json["errors"]}
