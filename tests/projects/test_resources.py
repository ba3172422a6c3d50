"""The REST API of projects, as an API client uses it."""

from projects_fixtures import refresh
from helpers import project_data, token_for

JSON = {"content-type": "application/json", "accept": "application/json"}


def _auth(user, db):
    return {**JSON, "authorization": f"Bearer {token_for(user, db)}"}


def test_create_publish_search_read(client, owner, db, vocabularies, dataset, search_clear):
    """POST a draft, publish it, find it with facets, read it anonymously."""
    headers = _auth(owner, db)
    created = client.post("/api/projects", json=project_data(datasets=[{"id": dataset.id}]),
                          headers=headers)
    assert created.status_code == 201, created.json
    id_ = created.json["id"]
    assert created.json["links"]["self"].endswith(f"/api/projects/{id_}/draft")
    assert created.json["links"]["publish"].endswith(
        f"/api/projects/{id_}/draft/actions/publish")

    published = client.post(f"/api/projects/{id_}/draft/actions/publish", headers=headers)
    assert published.status_code == 202, published.json
    assert published.json["links"]["self"].endswith(f"/api/projects/{id_}")
    refresh()

    found = client.get("/api/projects?q=mortality&sort=newest", headers=JSON)
    assert found.status_code == 200
    assert found.json["hits"]["total"] == 1
    assert found.json["sortBy"] == "newest"
    buckets = found.json["aggregations"]["sdgs"]["buckets"]
    assert [(b["key"], b["label"]) for b in buckets] == [("sdg3", "Good health and well-being")]
    assert found.json["links"]["self"].startswith("http://127.0.0.1/api/projects?")

    anonymous = client.get(f"/api/projects/{id_}", headers=JSON)
    assert anonymous.status_code == 200
    linked = anonymous.json["metadata"]["datasets"][0]
    assert (linked["id"], linked["title"]) == (dataset.id, "Weekly deaths in Europe")

    mine = client.get("/api/user/projects", headers=headers)
    assert mine.status_code == 200
    assert [h["id"] for h in mine.json["hits"]["hits"]] == [id_]


def test_field_errors_are_400_with_the_field_named(client, owner, db, vocabularies,
                                                    search_clear):
    """Unknown SDG and a malformed ORCID: 400, each error on its field, nothing stored."""
    data = project_data(sdgs=[{"id": "sdg42"}])
    data["metadata"]["creators"][0]["person_or_org"]["identifiers"][0]["identifier"] = (
        "0000-0002-1825-009X")
    response = client.post("/api/projects", json=data, headers=_auth(owner, db))
    assert response.status_code == 400
    fields = {e["field"]: e["messages"] for e in response.json["errors"]}
    assert fields["metadata.sdgs.0"] == ["Unknown value: sdg42."]
    assert "metadata.creators.0.person_or_org.identifiers.0.identifier" in fields
    refresh()
    assert client.get("/api/user/projects", headers=_auth(owner, db)).json["hits"]["total"] == 0


def test_publish_incomplete_draft_is_400(client, owner, db, vocabularies, search_clear):
    """A draft may lack a description; publishing it says what is missing."""
    data = project_data()
    del data["metadata"]["description"]
    headers = _auth(owner, db)
    draft = client.post("/api/projects", json=data, headers=headers)
    assert draft.status_code == 201
    assert {"field": "metadata.description",
            "messages": ["Missing data for required field."]} in draft.json["errors"]
    publish = client.post(f"/api/projects/{draft.json['id']}/draft/actions/publish",
                          headers=headers)
    assert publish.status_code == 400
    assert "metadata.description" in {e["field"] for e in publish.json["errors"]}


def test_delete_answers_410_with_tombstone(client, owner, db, published_project):
    """DELETE removes the project; reading it afterwards gives 410 and the reason."""
    id_ = published_project.id
    headers = _auth(owner, db)
    deleted = client.delete(f"/api/projects/{id_}", json={"reason": "Superseded"},
                            headers=headers)
    assert deleted.status_code == 200, deleted.json
    gone = client.get(f"/api/projects/{id_}", headers=JSON)
    assert gone.status_code == 410
    assert gone.json["id"] == id_
    assert gone.json["tombstone"]["reason"] == "Superseded"
    refresh()
    assert client.get("/api/projects", headers=JSON).json["hits"]["total"] == 0


def test_unknown_project_is_404(client, app):
    """A project id that never existed."""
    assert client.get("/api/projects/nope0-00000", headers=JSON).status_code == 404


def test_anonymous_cannot_create(client, vocabularies):
    """Creating needs an account."""
    response = client.post("/api/projects", json=project_data(), headers=JSON)
    assert response.status_code == 403


def test_restricted_linked_dataset_stays_hidden(client, owner, db, vocabularies,
                                                restricted_dataset, search_clear):
    """A public project may link its owner's restricted dataset; others see only its id."""
    headers = _auth(owner, db)
    created = client.post("/api/projects", headers=headers, json=project_data(
        title="Admissions and heat", datasets=[{"id": restricted_dataset.id}]))
    assert created.status_code == 201, created.json
    id_ = created.json["id"]
    client.post(f"/api/projects/{id_}/draft/actions/publish", headers=headers)
    refresh()

    as_owner = client.get(f"/api/projects/{id_}", headers=headers).json
    assert as_owner["metadata"]["datasets"][0]["title"] == "Hospital admissions (restricted)"

    anonymous = client.get(f"/api/projects/{id_}", headers=JSON).json
    assert anonymous["metadata"]["datasets"] == [
        {"id": restricted_dataset.id, "restricted": True}]
    hit = client.get("/api/projects?q=heat", headers=JSON).json["hits"]["hits"][0]
    assert hit["metadata"]["datasets"] == [{"id": restricted_dataset.id, "restricted": True}]
    page = client.get(f"/projects/{id_}").data.decode()
    assert "Hospital admissions" not in page
    assert "A record you do not have access to" in page
