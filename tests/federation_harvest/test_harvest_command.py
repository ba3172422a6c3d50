"""``invenio cs4od harvest``: a curator's run over the recorded Zenodo community."""

from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_vocabularies.proxies import current_service as vocabulary_service

from cs4od_invenio.cli import cs4od
from cs4od_invenio.federation.models import HarvestedRecord


def test_command_prints_the_summary(app, replay, harvest_vocabularies):
    """The summary line, then why the run stopped early (an unrecorded next page)."""
    server = replay("legacy")
    runner = app.test_cli_runner()
    result = runner.invoke(cs4od, ["harvest", "lisa7-posters", "--base-url", server.base_url,
                                   "--prefix", "oai_datacite3"])

    assert "created 10, updated 0, deleted 0, failed 0" in result.stdout
    assert "Harvest stopped early" in result.stderr
    assert "HTTP 404" in result.stderr
    assert "starts again from the beginning" in result.stderr
    assert result.exit_code == 1
    assert server.requests[0] == {"verb": "ListRecords", "metadataPrefix": "oai_datacite3",
                                  "set": "user-lisa7-posters"}


def test_a_record_the_instance_refuses_is_reported_while_the_others_land(
        app, replay, harvest_vocabularies):
    """Without the 'is part of' relation type here, nine posters fail with the reason."""
    haspart = vocabulary_service.read(system_identity, ("relationtypes", "haspart"))
    vocabulary_service.delete(system_identity, ("relationtypes", haspart.id))
    vocabulary_service.indexer.refresh()
    server = replay("legacy")
    runner = app.test_cli_runner()
    result = runner.invoke(cs4od, ["harvest", "lisa7-posters", "--base-url", server.base_url,
                                   "--prefix", "oai_datacite3"])

    assert "created 1, updated 0, deleted 0, failed 9" in result.stdout
    assert "failed oai:zenodo.org:10165:" in result.stdout
    assert "Invalid value haspart" in result.stdout
    landed = current_rdm_records_service.read(
        system_identity, HarvestedRecord.query.get("oai:zenodo.org:10277").record_id)
    assert landed["metadata"]["title"].startswith("Swift Publication Statistics")


def test_into_a_missing_community_is_a_usage_error(app, replay, harvest_vocabularies):
    """--into names a community that does not exist: refused, nothing harvested."""
    server = replay("legacy")
    result = app.test_cli_runner().invoke(
        cs4od, ["harvest", "lisa7-posters", "--base-url", server.base_url, "--into", "nowhere"])
    assert result.exit_code == 2
    assert "no local community 'nowhere'" in result.stderr
    assert server.requests == []
