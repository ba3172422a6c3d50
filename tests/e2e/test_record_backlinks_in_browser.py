"""A visitor on a dataset's page sees the projects that use it, and the record search
points to the projects matching the same query."""

import re

import pytest

from helpers import log_in, project_data

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def linked(app, database, UserFixture, location, resource_types_committed, portal):
    """The demo dataset, linked by a public project and by a restricted one of Ada."""
    from cs4od_invenio.vocabularies import load_vocabularies
    from cs4od_site.demo import WORLD_POPULATION, create_dataset
    from invenio_rdm_records.proxies import current_rdm_records_service
    from invenio_records_resources.proxies import current_service_registry
    from invenio_search.proxies import current_search

    load_vocabularies()
    owner = UserFixture(email="ada.backlinks@cs4od.test", password="ada-password-1")
    owner.create(app, database)
    database.session.commit()
    dataset = create_dataset(WORLD_POPULATION)
    current_rdm_records_service.indexer.refresh()
    service = current_service_registry.get("projects")
    projects = {}
    for title, access in (
        ("World population atlas", "public"),
        ("Private population study", "restricted"),
    ):
        data = {
            **project_data(title=title, datasets=[{"id": dataset["id"]}]),
            "access": {"record": access},
        }
        draft = service.create(owner.identity, data)
        projects[access] = service.publish(owner.identity, draft.id)
    database.session.commit()
    current_search.flush_and_refresh("projects")
    return owner, dataset, projects


def _box_titles(page):
    return page.locator("#cs4od-record-projects a").all_inner_texts()


def test_record_page_shows_the_projects_using_it(
    page, new_page, portal, linked, screenshot
):
    owner, dataset, projects = linked
    page.goto(f"{portal}/records/{dataset['id']}")
    box = page.locator("#cs4od-record-projects")
    box.wait_for(timeout=10_000)
    assert page.get_by_role("heading", name="Used in projects").is_visible()
    assert _box_titles(page) == ["World population atlas"]
    page.evaluate("document.fonts.ready")  # the box's icons
    path = screenshot("record-used-in-projects")
    assert path.stat().st_size > 10_000
    box.get_by_role("link", name="World population atlas").click()
    page.wait_for_url(f"**/projects/{projects['public'].id}")
    assert page.locator("h1").first.inner_text() == "World population atlas"

    mine = new_page()
    log_in(mine, portal, owner)
    mine.goto(f"{portal}/records/{dataset['id']}")
    mine.locator("#cs4od-record-projects").wait_for(timeout=10_000)
    assert _box_titles(mine) == ["Private population study", "World population atlas"]
    screenshot("record-used-in-projects-owner", of=mine)


def test_search_points_to_matching_projects(page, portal, linked, screenshot):
    page.goto(f"{portal}/search?q=population")
    hint = page.locator("#cs4od-projects-hint a")
    hint.wait_for(timeout=10_000)
    assert hint.inner_text() == "1 project also matches “population” →"
    assert hint.get_attribute("href") == "/projects?q=population"
    # The results below are still the record search's.
    page.get_by_role("link", name=linked[1]["metadata"]["title"]).wait_for(
        timeout=20_000
    )
    screenshot("search-projects-hint")

    # Searching again on the page (no reload): the line follows the query.
    search_box = page.locator("input[name='search']:visible, .search-bar input:visible")
    search_box.first.fill("glaciers")
    search_box.first.press("Enter")
    page.wait_for_url(re.compile(r"q=glaciers"))
    page.locator("#cs4od-projects-hint").wait_for(state="hidden", timeout=10_000)
    search_box.first.fill("atlas")
    search_box.first.press("Enter")
    page.wait_for_url(re.compile(r"q=atlas"))
    page.locator("#cs4od-projects-hint a").wait_for(timeout=10_000)
    assert page.locator("#cs4od-projects-hint a").inner_text() == (
        "1 project also matches “atlas” →"
    )

    hint = page.locator("#cs4od-projects-hint a")
    hint.click()
    page.wait_for_url("**/projects?q=atlas*")
    page.get_by_text("World population atlas").first.wait_for(timeout=20_000)


def test_search_without_matching_projects_has_no_line(page, portal, linked):
    page.goto(f"{portal}/search?q=volcanoes")
    page.wait_for_load_state("networkidle")
    assert page.locator("#cs4od-projects-hint").is_hidden()
    assert page.get_by_text("also match").count() == 0
