"""A project joins a community through a review request: submit, accept or decline."""

import pytest
from invenio_requests.proxies import current_events_service, current_requests_service
from invenio_search.proxies import current_search

from helpers import project_data, token_for
from projects_fixtures import refresh

JSON = {"content-type": "application/json", "accept": "application/json"}


def _auth(user, db):
    return {**JSON, "authorization": f"Bearer {token_for(user, db)}"}


@pytest.fixture()
def restricted_project(projects_service, owner, vocabularies, search_clear):
    """A restricted project of the owner, published."""
    data = project_data(title="Hospital capacity during the pandemic")
    data["access"] = {"record": "restricted"}
    project = projects_service.publish(
        owner.identity, projects_service.create(owner.identity, data).id)
    refresh()
    return project


def _comments(request_id, identity):
    current_search.flush_and_refresh("requestevents")
    events = current_events_service.search(identity, request_id).to_dict()["hits"]["hits"]
    return [e["payload"]["content"] for e in events if e["type"] == "C"]


def test_submit_and_accept(client, db, owner, curator, stranger, community,
                           restricted_project):
    """Owner submits, the curator finds and accepts it; the project is in the community."""
    id_ = restricted_project.id
    submitted = client.post(
        f"/api/projects/{id_}/communities",
        json={"communities": [{"id": "open-health"}],
              "comment": "<p>Data on ICU beds, please include.</p>"},
        headers=_auth(owner, db),
    )
    assert submitted.status_code == 201, submitted.json
    request = submitted.json["hits"]["hits"][0]
    assert request["status"] == "submitted"
    assert request["title"] == "Hospital capacity during the pandemic"
    assert request["receiver"] == {"community": community.id}
    assert request["topic"] == {"project": id_}

    # Before acceptance the curator cannot read the restricted project.
    assert client.get(f"/api/projects/{id_}", headers=_auth(curator, db)).status_code == 403

    # The curator sees the request among the requests they may act on.
    curator_headers = _auth(curator, db)
    listed = client.get("/api/requests/?q=status:submitted", headers=curator_headers)
    assert listed.status_code == 200, listed.data[:300]
    assert [r["id"] for r in listed.json["hits"]["hits"]] == [request["id"]]
    # A stranger neither sees nor decides it.
    assert client.get("/api/requests/", headers=_auth(stranger, db)).json["hits"]["total"] == 0
    denied = client.post(f"/api/requests/{request['id']}/actions/accept", json={},
                         headers=_auth(stranger, db))
    assert denied.status_code == 403

    accepted = client.post(
        f"/api/requests/{request['id']}/actions/accept",
        json={"payload": {"content": "<p>Welcome!</p>", "format": "html"}},
        headers=curator_headers,
    )
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["status"] == "accepted"
    refresh()

    project = client.get(f"/api/projects/{id_}", headers=curator_headers)
    assert project.status_code == 200
    assert project.json["parent"]["communities"]["ids"] == [community.id]
    in_community = client.get(f"/api/projects?f=communities:{community.id}",
                              headers=curator_headers)
    assert [h["id"] for h in in_community.json["hits"]["hits"]] == [id_]

    # Both comments are in the request's timeline.
    assert _comments(request["id"], curator.identity) == [
        "<p>Data on ICU beds, please include.</p>", "<p>Welcome!</p>"]

    # The owner sees the state of their project's requests.
    states = client.get(f"/api/projects/{id_}/requests", headers=_auth(owner, db))
    assert [r["status"] for r in states.json["hits"]["hits"]] == ["accepted"]


def test_decline_leaves_the_project_out(projects_service, owner, curator, community,
                                        published_project):
    """A declined project is not included; the owner sees the decline and the reason."""
    request = projects_service.submit_to_community(
        owner.identity, published_project.id, "open-health")
    current_requests_service.execute_action(
        curator.identity, request.id, "decline",
        data={"payload": {"content": "<p>Out of scope.</p>", "format": "html"}})
    refresh()
    project = projects_service.read(owner.identity, published_project.id)
    assert project["parent"]["communities"].get("ids", []) == []
    states = projects_service.search_requests(owner.identity, published_project.id)
    assert [r["status"] for r in states.to_dict()["hits"]["hits"]] == ["declined"]
    assert _comments(request.id, owner.identity) == ["<p>Out of scope.</p>"]


def test_refused_submissions(client, db, owner, stranger, community, published_project):
    """Unknown community, a second open request, someone else's project: clear refusals."""
    url = f"/api/projects/{published_project.id}/communities"
    body = {"communities": [{"id": "open-health"}]}
    unknown = client.post(url, json={"communities": [{"id": "no-such-community"}]},
                          headers=_auth(owner, db))
    assert unknown.status_code == 400
    assert unknown.json["message"] == "No community no-such-community."

    assert client.post(url, json=body, headers=_auth(owner, db)).status_code == 201
    again = client.post(url, json=body, headers=_auth(owner, db))
    assert again.status_code == 400
    assert again.json["message"] == "A request to Open health data is already open."

    assert client.post(url, json=body, headers=_auth(stranger, db)).status_code == 403
    empty = client.post(url, json={"communities": []}, headers=_auth(owner, db))
    assert empty.status_code == 400
    assert empty.json["errors"][0]["field"] == "communities"


def _community(owner, slug, title, policy):
    from invenio_communities.proxies import current_communities

    item = current_communities.service.create(owner.identity, {
        "slug": slug,
        "access": {"visibility": "public", "record_submission_policy": policy},
        "metadata": {"title": title},
    })
    current_communities.service.indexer.refresh()
    return item


def test_all_or_no_communities(client, db, owner, stranger, community, projects_service,
                               vocabularies, search_clear):
    """One refusal among several communities leaves no request behind."""
    _community(stranger, "members-only", "Members only", "closed")
    project = projects_service.publish(
        owner.identity, projects_service.create(owner.identity, project_data()).id)
    url = f"/api/projects/{project.id}/communities"
    mixed = client.post(url, json={"communities": [{"id": "open-health"}, {"id": "members-only"}]},
                        headers=_auth(owner, db))
    assert mixed.status_code == 400
    assert mixed.json["message"] == "Members only accepts submissions from its members only."
    assert projects_service.search_requests(
        owner.identity, project.id).to_dict()["hits"]["total"] == 0

    twice = client.post(url, json={"communities": [{"id": "open-health"}, {"id": "open-health"}]},
                        headers=_auth(owner, db))
    assert twice.status_code == 400
    assert twice.json["message"] == "Open health data is given twice."

    _community(stranger, "open-climate", "Open climate", "open")
    both = client.post(url, json={"communities": [{"id": "open-health"}, {"id": "open-climate"}]},
                       headers=_auth(owner, db))
    assert both.status_code == 201, both.json
    assert both.json["hits"]["total"] == 2
    # Visible to the owner at once (the requests index was refreshed after the commit).
    states = client.get(f"/api/projects/{project.id}/requests", headers=_auth(owner, db))
    assert sorted(r["status"] for r in states.json["hits"]["hits"]) == ["submitted", "submitted"]
