"""A community's curator sets up its Zenodo harvest in the browser, harvests now and reads
the report; the harvested records are then the community's records.

Zenodo is the replay of its recorded OAI-PMH answers (tests/data/zenodo-oai/legacy: one
page of ten posters of the set user-lisa7-posters, announcing 21; the next page was not
recorded, so the harvest ends "partly succeeded" and says it will start again)."""

from pathlib import Path
from urllib.parse import urlsplit

import invenio_rdm_records
import pytest
import yaml
from invenio_access.permissions import system_identity
from invenio_communities.proxies import current_communities
from invenio_vocabularies.proxies import current_service as vocabulary_service

from helpers import log_in
from standins.zenodo_oai import DATA, ZenodoOAIReplay

pytestmark = pytest.mark.e2e

VOCABULARIES = (
    Path(invenio_rdm_records.__file__).parent / "fixtures" / "data" / "vocabularies"
)


@pytest.fixture(scope="module")
def zenodo_oai():
    server = ZenodoOAIReplay(DATA / "legacy").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def app_config(app_config, zenodo_oai):
    parts = urlsplit(zenodo_oai.base_url)
    app_config["CS4OD_ZENODO_URL"] = f"{parts.scheme}://{parts.netloc}"
    app_config["CS4OD_HARVEST_HTTP"] = {"min_interval": 0, "retries": 0}
    return app_config


@pytest.fixture(scope="module")
def curated(UserFixture, app, database, portal, location, resource_types_committed):
    """A curator and her community; the vocabulary entries the posters use."""
    for type_id, filename, wanted in (
        ("resourcetypes", "resource_types.yaml", "poster"),
        ("relationtypes", "relation_types.yaml", "haspart"),
    ):
        entry = next(
            e
            for e in yaml.safe_load((VOCABULARIES / filename).read_text())
            if e["id"] == wanted
        )
        vocabulary_service.create(system_identity, {**entry, "type": type_id})
    vocabulary_service.indexer.refresh()
    curator = UserFixture(email="hedy@cs4od.test", password="hedy-password-1")
    curator.create(app, database)
    community = current_communities.service.create(
        curator.identity,
        {
            "slug": "space-posters",
            "access": {"visibility": "public", "record_submission_policy": "closed"},
            "metadata": {"title": "Space science posters"},
        },
    )
    current_communities.service.indexer.refresh()
    database.session.commit()
    return curator, community


def test_curator_harvests_a_zenodo_community_into_hers(
    page, portal, curated, screenshot, zenodo_oai
):
    curator, _ = curated
    log_in(page, portal, curator)
    page.goto(portal + "/communities/space-posters/requests")
    page.get_by_role("link", name="Zenodo harvest").click()
    page.wait_for_selector(".cs4od-harvest-form")

    # A name Zenodo could not have is refused on its field.
    page.fill("#zenodo-community", "Space Posters!")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=lowercase letters")

    page.fill("#zenodo-community", "https://zenodo.org/communities/lisa7-posters")
    # The schedule shows its default choice, not an empty box.
    shown = page.locator("#harvest-schedule > .text").inner_text()
    assert shown == "Only when I press “Harvest now”"
    page.click("#harvest-schedule")
    page.locator("#harvest-schedule .menu .item", has_text="Every week").click()
    page.click("#harvest-format")
    page.locator("#harvest-format .menu .item", has_text="(oai_datacite3)").click()
    page.get_by_role("button", name="Save").click()
    source = page.wait_for_selector(".cs4od-harvest-source")
    assert "lisa7-posters" in source.inner_text()
    assert "every week" in source.inner_text()
    screenshot("community-harvest-set-up")

    # The source's second page is held back: the harvest is under way, its first page
    # has announced a list of 21 records, and the page (opened again) follows it.
    zenodo_oai.hold_after(1)
    with page.expect_request(
        lambda request: request.url.endswith("/zenodo-harvest/runs")
    ):
        page.get_by_role("button", name="Harvest now").click()
    assert zenodo_oai.holding.wait(timeout=60)
    page.reload()
    progress = page.wait_for_selector(".cs4od-harvest-progress[data-status=running]")
    assert "0 of 21 records (0 %) read" in progress.inner_text()
    screenshot("community-harvest-progress")
    zenodo_oai.release()

    row = page.wait_for_selector("tr[data-run-status=partial_success]", timeout=120_000)
    text = row.inner_text()
    assert "Partly succeeded" in text
    assert "created 10, updated 0, deleted 0, failed 0" in text
    assert "starts again from the beginning" in text
    page.wait_for_selector("text=10 records harvested here")
    screenshot("community-harvest-report")

    page.goto(portal + "/communities/space-posters/records")
    page.wait_for_selector("text=Catalog management at CDS", timeout=30_000)
    screenshot("community-harvested-records")
