"""The project web pages as the server renders them (the browser tests drive the React parts)."""

import html as html_lib
import json
import re

from invenio_access.permissions import system_identity

from helpers import project_data
from projects_fixtures import refresh


def search_config(page):
    """The React-SearchKit configuration a page embeds."""
    found = re.search(r"data-invenio-search-config='([^']*)'", page)
    return json.loads(html_lib.unescape(found.group(1)))


def test_landing_page_shows_badges_links_and_communities(
    client, projects_service, owner, vocabularies, dataset, community
):
    draft = projects_service.create(owner.identity, project_data(
        sdgs=[{"id": "sdg3"}, {"id": "sdg13"}], datasets=[{"id": dataset.id}]))
    project = projects_service.publish(owner.identity, draft.id)
    # Accepted into the community: the page links it.
    request = projects_service.submit_to_community(owner.identity, project.id, "open-health")
    from invenio_requests.proxies import current_requests_service

    current_requests_service.execute_action(system_identity, request.id, "accept")

    page = client.get(f"/projects/{project.id}")
    assert page.status_code == 200
    html = page.data.decode()
    assert "<h1 class=\"ui header\">Excess mortality in Europe</h1>" in html
    assert "SDG 3 · Good health and well-being" in html
    assert "SDG 13 · Climate action" in html
    assert "background-color: #3F7E44" in html  # the official colour of SDG 13
    assert "3.3 Health sciences" in html
    assert f'href="http://127.0.0.1/records/{dataset.id}">Weekly deaths in Europe</a>' in html
    assert "Open health data" in html
    assert "https://zenodo.org/communities/covid-19" in html
    assert "<p>Weekly deaths before and during the pandemic.</p>" in html
    # Anonymous visitors get no edit button, no request panel.
    assert "/edit" not in html
    assert "cs4od-community-submit" not in html


def test_owner_sees_edit_button_and_request_status(
    client, projects_service, owner, published_project, community
):
    projects_service.submit_to_community(
        owner.identity, published_project.id, "open-health", comment="Please include it")
    owner.login(client)
    html = client.get(f"/projects/{published_project.id}").data.decode()
    assert f'href="/projects/{published_project.id}/edit"' in html
    assert 'data-status="submitted"' in html
    assert "Awaiting review" in html
    assert 'id="cs4od-community-submit"' in html


def test_restricted_and_draft_pages(app, client, projects_service, owner, stranger,
                                    vocabularies):
    closed = {**project_data(title="Closed study"), "access": {"record": "restricted"}}
    restricted = projects_service.publish(
        owner.identity, projects_service.create(owner.identity, closed).id)
    draft = projects_service.create(owner.identity, project_data(title="Work in progress"))

    # Anonymous: asked to log in; stranger: forbidden; owner: sees it.
    anonymous = client.get(f"/projects/{restricted.id}")
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["location"]
    stranger.login(client)
    assert client.get(f"/projects/{restricted.id}").status_code == 403
    assert client.get(f"/projects/{draft.id}").status_code == 403
    assert client.get(f"/projects/{draft.id}/edit").status_code == 403
    client = owner.login(app.test_client())
    page = client.get(f"/projects/{restricted.id}")
    assert page.status_code == 200, page.data.decode()[-3000:]
    html = page.data.decode()
    assert "Closed study" in html and "Restricted" in html
    html = client.get(f"/projects/{draft.id}").data.decode()
    assert "Work in progress" in html and "Draft — not published" in html
    assert client.get(f"/projects/{draft.id}/edit").status_code == 200


def test_unknown_and_removed_projects(client, projects_service, owner, published_project, admin):
    assert client.get("/projects/nope0-00000").status_code == 404
    projects_service.delete(admin.identity, published_project.id, reason="Duplicate of another")
    gone = client.get(f"/projects/{published_project.id}")
    assert gone.status_code == 410
    assert "This project has been removed" in gone.data.decode()
    assert "Duplicate of another" in gone.data.decode()


def test_form_search_dashboard_and_community_pages_render(client, owner, community):
    assert client.get("/projects/new").status_code == 302  # log in first
    owner.login(client)
    form = client.get("/projects/new")
    assert form.status_code == 200
    assert 'id="cs4od-project-form"' in form.data.decode()
    search = search_config(client.get("/projects").data.decode())
    assert search["appId"] == "Cs4od.ProjectsSearch"
    assert search["searchApi"]["axios"]["url"] == "/api/projects"
    assert [a["aggName"] for a in search["aggs"]] == ["domains", "sdgs", "tags", "communities"]
    assert search["initialQueryState"]["sortBy"] == "bestmatch"
    assert "newest" in json.dumps(search["defaultSortingOnEmptyQueryString"])
    dashboard = client.get("/me/projects").data.decode()
    assert search_config(dashboard)["searchApi"]["axios"]["url"] == "/api/user/projects"
    assert 'href="/me/projects">Projects</a>' in dashboard  # the dashboard tab
    # The dashboard header shows the user's avatar, as on the other dashboard tabs.
    avatar = f'/api/users/{owner.id}/avatar.svg" alt="" />'
    assert avatar in client.get("/me/uploads").data.decode()
    assert avatar in dashboard
    tab = client.get("/communities/open-health/projects")
    assert tab.status_code == 200
    html = tab.data.decode()
    config = search_config(html)
    assert config["initialQueryState"]["hiddenParams"] == [["communities", str(community.id)]]
    assert "/communities/open-health/projects" in html  # the community's tab


def test_api_links_point_at_the_pages(client, projects_service, owner, published_project):
    data = client.get(f"/api/projects/{published_project.id}").json
    assert data["links"]["self_html"] == f"http://127.0.0.1/projects/{published_project.id}"
    draft = projects_service.edit(owner.identity, published_project.id).to_dict()
    assert draft["links"]["self_html"] == (
        f"http://127.0.0.1/projects/{published_project.id}/edit")


def test_header_and_front_page_lead_to_projects(client, owner):
    page = client.get("/").data.decode()
    assert page.count('href="/projects"') >= 2  # header menu and the front page
    owner.login(client)
    page = client.get("/me/uploads").data.decode()
    assert 'href="/projects/new"' in page  # the "+" menu
