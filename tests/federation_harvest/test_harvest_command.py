"""``invenio cs4od harvest``: a curator's run over the recorded Zenodo community."""

from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_vocabularies.proxies import current_service as vocabulary_service

from cs4od_invenio.cli import cs4od
from cs4od_invenio.federation.models import HarvestedRecord


def _harvest_legacy(app, replay, *options):
    """The command over the recorded page of user-lisa7-posters (in oai_datacite3 unless
    ``options`` say otherwise): its server and result."""
    server = replay("legacy")
    options = options or ("--prefix", "oai_datacite3")
    arguments = ["harvest", "lisa7-posters", "--base-url", server.base_url, *options]
    return server, app.test_cli_runner().invoke(cs4od, arguments)


def test_command_prints_the_summary(app, replay, harvest_vocabularies):
    """The summary line, then why the run stopped early (an unrecorded next page)."""
    server, result = _harvest_legacy(app, replay)

    assert "created 10, updated 0, deleted 0, failed 0" in result.stdout
    assert "Harvest stopped early" in result.stderr
    assert "HTTP 404" in result.stderr
    assert "starts again from the beginning" in result.stderr
    assert result.exit_code == 1
    assert server.requests[0] == {
        "verb": "ListRecords",
        "metadataPrefix": "oai_datacite3",
        "set": "user-lisa7-posters",
    }


def test_a_record_the_instance_refuses_is_reported_while_the_others_land(
    app, replay, harvest_vocabularies
):
    """Without the 'is part of' relation type here, nine posters fail with the reason."""
    haspart = vocabulary_service.read(system_identity, ("relationtypes", "haspart"))
    vocabulary_service.delete(system_identity, ("relationtypes", haspart.id))
    vocabulary_service.indexer.refresh()
    _, result = _harvest_legacy(app, replay)

    assert "created 1, updated 0, deleted 0, failed 9" in result.stdout
    assert "failed oai:zenodo.org:10165:" in result.stdout
    assert "Invalid value haspart" in result.stdout
    landed = current_rdm_records_service.read(
        system_identity, HarvestedRecord.query.get("oai:zenodo.org:10277").record_id
    )
    assert landed["metadata"]["title"].startswith("Swift Publication Statistics")


def test_into_a_missing_community_is_a_usage_error(app, replay, harvest_vocabularies):
    """--into names a community that does not exist: refused, nothing harvested."""
    server, result = _harvest_legacy(app, replay, "--into", "nowhere")
    assert result.exit_code == 2
    assert "no local community 'nowhere'" in result.stderr
    assert server.requests == []


def test_command_counts_and_names_withdrawn_records(app, replay, harvest_vocabularies):
    """A later harvest prints the withdrawn count and each withdrawn record."""
    runner = app.test_cli_runner()
    arguments = ["harvest", "lisa7-posters", "--prefix", "oai_datacite3", "--base-url"]
    first = runner.invoke(cs4od, arguments + [replay("derived/lisa7-paged").base_url])
    assert "created 10, updated 0, deleted 0, failed 0\n" in first.stdout
    assert (
        "Reconciled with the 10 identifiers the source lists: 0 withdrawn."
        in first.stdout
    )

    glitch = replay("derived/lisa7-glitch").base_url
    refused = runner.invoke(cs4od, arguments + [glitch])
    assert "no longer lists 7 of the 10 records" in refused.stderr
    assert "withdrawn" not in refused.stdout

    later = runner.invoke(cs4od, arguments + [replay("derived/lisa7-later").base_url])
    assert later.exit_code == 0
    assert "created 0, updated 0, deleted 0, failed 0, withdrawn 2" in later.stdout
    assert (
        "  withdrawn oai:zenodo.org:10165\n  withdrawn oai:zenodo.org:10314"
        in later.stdout
    )

    # Of the eight posters left, the glitch lists two: six go, asked for explicitly.
    allowed = runner.invoke(cs4od, arguments + [glitch, "--allow-mass-withdrawal"])
    assert "failed 0, withdrawn 6\n" in allowed.stdout
