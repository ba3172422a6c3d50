"""An RDM dataset record goes from deposit to search over the REST API."""

from pathlib import Path

CSV = (Path(__file__).parent.parent / "data"
       / "World_historical_and_predicted_populations_in_percentage.csv")


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


def test_invalid_deposit_is_rejected_with_field_errors(client, owner_token, location,
                                                      resource_types):
    auth = {"authorization": f"Bearer {owner_token}"}
    headers = {"accept": "application/json", **auth}
    # A structurally broken request is refused outright, naming the field.
    broken = client.post(
        "/api/records",
        json={"metadata": {"title": "no type"}, "access": {"record": "public"}},
        headers=headers,
    )
    assert broken.status_code == 400
    assert [e["field"] for e in broken.json["errors"]] == ["access"]

    # An incomplete draft is kept; what is missing is reported, and publishing fails.
    draft = client.post(
        "/api/records",
        json={"metadata": {"title": "no type"},
              "access": {"record": "public", "files": "public"},
              "files": {"enabled": False}},
        headers=headers,
    )
    assert draft.status_code == 201, draft.json
    errors = {e["field"] for e in draft.json["errors"]}
    assert {"metadata.resource_type", "metadata.creators"} <= errors
    publish = client.post(f"/api/records/{draft.json['id']}/draft/actions/publish",
                          headers=headers)
    assert publish.status_code == 400
    assert "metadata.resource_type" in {e["field"] for e in publish.json["errors"]}
    # The draft itself is still there, title intact.
    kept = client.get(f"/api/records/{draft.json['id']}/draft", headers=headers)
    assert kept.json["metadata"]["title"] == "no type"
