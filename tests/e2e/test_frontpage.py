"""A visitor opens the portal, sees CS4OD, and finds the demo dataset."""

import pytest
from invenio_rdm_records.proxies import current_rdm_records_service

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_dataset(portal, location, resource_types_committed):
    """The portal's demo content, committed so that the served app sees it."""
    from cs4od_site.demo import WORLD_POPULATION, create_dataset

    record = create_dataset(WORLD_POPULATION)
    current_rdm_records_service.indexer.refresh()
    return record


def test_front_page_shows_cs4od(page, portal, screenshot):
    response = page.goto(portal + "/")
    assert response.status == 200
    assert page.title().startswith("CS4OD")
    assert page.locator("h1").first.inner_text() == "Science for Open Data"
    hero = page.locator(".cs4od-hero h2")
    assert hero.inner_text() == "Open data, gathered into projects"
    assert page.locator("img.rdm-logo").first.get_attribute(
        "src").endswith("cs4od-logo.svg")
    # The CS4OD theme stylesheet from the webpack build is applied.
    background = hero.evaluate(
        "el => getComputedStyle(el.closest('.cs4od-hero')).backgroundImage"
    )
    assert "linear-gradient" in background
    assert screenshot("frontpage").stat().st_size > 10_000


def test_search_page_lists_the_demo_dataset(page, portal, demo_dataset, screenshot):
    page.goto(portal + "/search?q=population")
    title = demo_dataset["metadata"]["title"]
    # Results are rendered by InvenioRDM's React search app from the REST API.
    result = page.get_by_role("link", name=title)
    result.wait_for(timeout=20_000)
    screenshot("search")
    result.click()
    page.wait_for_url(f"**/records/{demo_dataset['id']}")
    assert page.locator("h1").first.inner_text() == title
    # The landing page's own API calls (versions, citation) reach the served API.
    page.get_by_text("Version v1").first.wait_for(timeout=10_000)
    assert page.get_by_text("An error occurred while fetching the versions").count() == 0
    screenshot("record")


def test_creators_orcid_icon_sits_in_the_line(page, portal, location,
                                              resource_types_committed, screenshot):
    """An ORCID next to a creator's name is a small inline icon, not a page-wide image."""
    from cs4od_site.demo import WORLD_POPULATION, create_dataset

    metadata = dict(WORLD_POPULATION["metadata"], title="Population shares, with an ORCID")
    metadata["creators"] = [{"person_or_org": {
        "type": "personal", "given_name": "Josiah", "family_name": "Carberry",
        "identifiers": [{"scheme": "orcid", "identifier": "0000-0002-1825-0097"}]}}]
    record = create_dataset(dict(WORLD_POPULATION, metadata=metadata))
    page.goto(f"{portal}/records/{record['id']}")
    icon = page.locator("img.inline-id-icon").first
    icon.wait_for(timeout=10_000)
    box = icon.bounding_box()
    line = page.get_by_text("Carberry, Josiah").first.bounding_box()
    assert box["height"] <= 24 and box["width"] <= 24, box
    assert box["height"] <= line["height"] * 1.5, (box, line)
    screenshot("record-creator-orcid")
