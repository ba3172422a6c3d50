"""Projects on InvenioRDM's pages: "Used in projects" on a record's page, and the line
about matching projects above the record search."""

import re

import pytest
from invenio_rdm_records.proxies import current_rdm_records_service

from helpers import dataset_payload, project_data
from projects_fixtures import refresh


def _publish(projects_service, owner, title, access="public", **links):
    data = {**project_data(title=title, **links), "access": {"record": access}}
    draft = projects_service.create(owner.identity, data)
    return projects_service.publish(owner.identity, draft.id)


@pytest.fixture()
def linked(projects_service, owner, vocabularies, dataset):
    """The dataset, linked by a public project and (as a notebook) by a restricted one."""
    public = _publish(
        projects_service, owner, "World population atlas", datasets=[{"id": dataset.id}]
    )
    restricted = _publish(
        projects_service,
        owner,
        "Private population study",
        access="restricted",
        notebooks=[{"id": dataset.id}],
    )
    _publish(projects_service, owner, "Unrelated glaciers")
    refresh()
    return {"public": public, "restricted": restricted}


def _box(html):
    """The "Used in projects" box: project ids and titles it links, in order."""
    found = re.search(r'<div id="cs4od-record-projects".*?</div>\s*</div>', html, re.S)
    if not found:
        return None
    return re.findall(
        r'data-project-id="([^"]+)">\s*<i[^>]*></i>\s*'
        r'<div class="content"><a href="([^"]+)">([^<]+)</a>',
        found.group(0),
    )


def test_record_page_lists_the_projects_the_visitor_may_read(
    app, client, owner, dataset, linked
):
    public, restricted = linked["public"], linked["restricted"]
    page = client.get(f"/records/{dataset.id}")
    assert page.status_code == 200
    html = page.data.decode()
    assert "Used in projects" in html
    assert _box(html) == [
        (public.id, f"/projects/{public.id}", "World population atlas")
    ]
    assert "Private population study" not in html

    owner_client = owner.login(app.test_client())
    html = owner_client.get(f"/records/{dataset.id}").data.decode()
    # Sorted by title; the restricted one links the record as a notebook.
    assert _box(html) == [
        (restricted.id, f"/projects/{restricted.id}", "Private population study"),
        (public.id, f"/projects/{public.id}", "World population atlas"),
    ]
    # Its owner is told that others do not see the restricted one.
    box = html.split('id="cs4od-record-projects"', 1)[1]
    assert box.count("Restricted</span>") == 1
    assert box.index("Restricted</span>") < box.index("World population atlas")


def test_unlinked_record_has_no_box(client, owner, dataset, linked):
    draft = current_rdm_records_service.create(
        owner.identity,
        {**dataset_payload("Glacier lengths"), "files": {"enabled": False}},
    )
    record = current_rdm_records_service.publish(owner.identity, draft.id)
    html = client.get(f"/records/{record.id}").data.decode()
    assert "Glacier lengths" in html
    assert "Used in projects" not in html
    assert 'id="cs4od-record-projects"' not in html


def test_box_links_all_projects_when_there_are_many(
    app, client, projects_service, owner, vocabularies, dataset, monkeypatch
):
    from cs4od_invenio.projects.ui import backlinks

    monkeypatch.setattr(backlinks, "MAX_LISTED", 2)
    for title in ("Alpha", "Beta", "Gamma"):
        _publish(projects_service, owner, title, datasets=[{"id": dataset.id}])
    refresh()
    html = client.get(f"/records/{dataset.id}").data.decode()
    assert [title for _, _, title in _box(html)] == ["Alpha", "Beta"]
    more = re.search(r'<a href="([^"]+)">All 3 projects</a>', html)
    assert more
    # The link's query finds the three projects in the project search.
    query = more.group(1).split("?q=", 1)[1]
    answer = client.get(f"/api/projects?q={query}")
    assert answer.status_code == 200, answer.data
    assert answer.json["hits"]["total"] == 3


def _hint(html):
    found = re.search(r'<p id="cs4od-projects-hint"[^>]*>(.*?)</p>', html, re.S)
    assert found, "the hint's placeholder is always on the page"
    link = re.search(r'<a href="([^"]+)">([^<]+)</a>', found.group(1))
    return link and (link.group(1), link.group(2).strip())


def test_search_page_says_how_many_projects_match(app, client, owner, linked):
    html = client.get("/search?q=population").data.decode()
    # Anonymous visitors: only the public project counts.
    assert _hint(html) == (
        "/projects?q=population",
        "1 project also matches “population” →",
    )
    # The record search itself is still InvenioRDM's.
    assert "data-invenio-search-config" in html

    owner_client = owner.login(app.test_client())
    html = owner_client.get("/search?q=population").data.decode()
    assert _hint(html) == (
        "/projects?q=population",
        "2 projects also match “population” →",
    )


def test_search_page_without_matching_projects_says_nothing(client, linked):
    for url in ("/search?q=volcanoes", "/search", "/search?q=", "/search?q=title:("):
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.data.decode()
        assert _hint(html) is None, url
        assert "also match" not in re.sub(r'data-(one|many)="[^"]*"', "", html), url


def test_search_hint_escapes_the_query(client, linked):
    query = 'population OR "<b>x"'
    html = client.get("/search", query_string={"q": query}).data.decode()
    hint = html.split('id="cs4od-projects-hint"', 1)[1].split("</p>", 1)[0]
    assert "1 project also matches “population OR &#34;&lt;b&gt;x&#34;” →" in hint
    assert "<b>" not in hint
    # A query the search engine cannot parse: no line, no error.
    page = client.get("/search", query_string={"q": 'population <b>"x"</b>'})
    assert page.status_code == 200
    assert _hint(page.data.decode()) is None
