"""An independent OAI-PMH client (Sickle 0.7.0) harvests /oai2d over HTTP, page by page.

Pages hold two items, so every list goes through resumption tokens; every page the
client receives is validated against the official schemas.
"""

import pytest
from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import current_rdm_records_service
from oai_checks import publish_project, validate
from projects_fixtures import refresh
from sickle import Sickle
from sickle.oaiexceptions import CannotDisseminateFormat, IdDoesNotExist, NoRecordsMatch

PREFIX = "oai:cs4od.local:"


@pytest.fixture(scope="module")
def app_config(app_config, portal_port):
    """Small pages; links point at the served port."""
    app_config["OAISERVER_PAGE_SIZE"] = 2
    app_config["SITE_UI_URL"] = f"http://127.0.0.1:{portal_port}"
    app_config["SITE_API_URL"] = f"http://127.0.0.1:{portal_port}/api"
    return app_config


class CheckedSickle(Sickle):
    """Sickle that validates every page it receives and counts them."""

    def __init__(self, endpoint, schemas):
        """Harvest ``endpoint``; validate with ``schemas``."""
        super().__init__(endpoint, max_retries=0, timeout=60)
        self.schemas = schemas
        self.pages = []

    def harvest(self, **kwargs):
        """One request: its answer must be valid OAI-PMH."""
        response = super().harvest(**kwargs)
        validate(self.schemas, response.http_response.content)
        self.pages.append(kwargs)
        return response


@pytest.fixture()
def harvested(portal, db, content, projects_service, owner, schemas):
    """The content plus a removed project, a restricted one and a deleted record."""
    removed = publish_project(projects_service, owner, title="Withdrawn study")
    projects_service.delete(owner.identity, removed.id, reason="Retracted")
    restricted = publish_project(projects_service, owner, title="Hospital capacity")
    draft = projects_service.edit(owner.identity, restricted.id).to_dict()
    draft["access"] = {"record": "restricted"}
    projects_service.update_draft(owner.identity, restricted.id, draft)
    projects_service.publish(owner.identity, restricted.id)
    refresh()
    current_rdm_records_service.delete_record(
        system_identity, content["notebook"].id, {"note": "Duplicate"})
    current_rdm_records_service.indexer.refresh()
    return {**content, "removed": removed,
            "client": CheckedSickle(f"{portal}/oai2d", schemas)}


def test_full_harvest(harvested):
    sickle = harvested["client"]
    community_set = f"community-{harvested['community']['slug']}"
    live = {f"{PREFIX}{harvested['dataset'].id}",
            f"{PREFIX}project/{harvested['linked'].id}",
            f"{PREFIX}project/{harvested['other'].id}"}
    deleted = {f"{PREFIX}{harvested['notebook'].id}",
               f"{PREFIX}project/{harvested['removed'].id}"}

    identify = sickle.Identify()
    assert identify.deletedRecord == "persistent"
    assert identify.baseURL == sickle.endpoint
    assert {s.setSpec for s in sickle.ListSets()} == {"projects", community_set}

    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc"))
    assert len(headers) == 5 and len(sickle.pages) == 2 + 3
    assert {h.identifier for h in headers if not h.deleted} == live
    assert {h.identifier for h in headers if h.deleted} == deleted

    for prefix in ("oai_dc", "oai_datacite"):
        before = len(sickle.pages)
        records = list(sickle.ListRecords(metadataPrefix=prefix))
        assert len(sickle.pages) - before == 3
        assert {r.header.identifier for r in records} == live | deleted
        # Deleted items come as headers only (Sickle then gives them no metadata).
        assert all(bool(getattr(r, "metadata", None)) != r.header.deleted
                   for r in records), prefix

    in_community = list(sickle.ListRecords(metadataPrefix="oai_datacite", set=community_set))
    assert {r.header.identifier for r in in_community} == {
        f"{PREFIX}{harvested['dataset'].id}", f"{PREFIX}project/{harvested['linked'].id}"}
    projects = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="projects",
                                           ignore_deleted=True))
    assert {h.identifier for h in projects} == {
        f"{PREFIX}project/{harvested['linked'].id}", f"{PREFIX}project/{harvested['other'].id}"}

    record = sickle.GetRecord(identifier=f"{PREFIX}project/{harvested['linked'].id}",
                              metadataPrefix="oai_dc")
    assert record.metadata["title"] == ["Excess mortality in Europe"]
    assert "3. Good health and well-being" in record.metadata["subject"]
    formats = {f.metadataPrefix for f in sickle.ListMetadataFormats(
        identifier=f"{PREFIX}project/{harvested['linked'].id}")}
    assert {"oai_dc", "oai_datacite"} <= formats and "marcxml" not in formats


def test_the_client_understands_the_errors(harvested):
    """Errors come as OAI-PMH answers with HTTP 200, so the client raises the spec's."""
    sickle = harvested["client"]
    with pytest.raises(CannotDisseminateFormat):
        list(sickle.ListRecords(metadataPrefix="mods"))
    with pytest.raises(NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="community-nobody"))
    with pytest.raises(IdDoesNotExist):
        sickle.GetRecord(identifier=f"{PREFIX}project/nothing", metadataPrefix="oai_dc")
