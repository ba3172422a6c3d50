"""Deletions by reconciliation: records the source no longer lists are withdrawn here.

Zenodo does not report deletions over OAI-PMH. The source is the recorded
user-lisa7-posters page split into pages (derived/lisa7-paged); its later states
(derived/lisa7-later: one poster gone, one listed as deleted; derived/lisa7-glitch: only
three listed) are derived from the same recording, see tests/data/zenodo-oai/README.md.
"""

import pytest
from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.services.errors import RecordDeletedException
from standins.oai_fault_proxy import OAIFaultProxy

from cs4od_invenio.federation.fetch import HttpFetcher
from cs4od_invenio.federation.models import HarvestedRecord
from cs4od_invenio.federation.writer import harvest_community
from helpers import community_record_ids

GONE, DELETED = "oai:zenodo.org:10165", "oai:zenodo.org:10314"


def _fetcher(url, **kwargs):
    return HttpFetcher(url, sleep=lambda s: None, min_interval=0, **kwargs)


def _harvest(server_or_url, **kwargs):
    url = getattr(server_or_url, "base_url", server_or_url)
    kwargs.setdefault("fetch", _fetcher(url))
    return harvest_community(
        "lisa7-posters",
        base_url="https://zenodo.org/oai2d",
        metadata_prefix="oai_datacite3",
        **kwargs,
    )


def _mirror_ids():
    return community_record_ids("zenodo-lisa7-posters")


def _record_id(identifier):
    return HarvestedRecord.query.get(identifier).record_id


@pytest.fixture()
def mirrored(replay, harvest_vocabularies):
    """The ten posters harvested, over four pages, into zenodo-lisa7-posters."""
    summary = _harvest(replay("derived/lisa7-paged"))
    assert summary.line == "created 10, updated 0, deleted 0, failed 0"
    assert (
        summary.reconciliation.line
        == "Reconciled with the 10 identifiers the source lists: 0 withdrawn."
    )
    assert len(_mirror_ids()) == 10
    return summary


def test_records_the_source_dropped_are_withdrawn_with_a_note(mirrored, replay):
    """Nothing changed since the checkpoint, yet one poster is gone and one is deleted."""
    server = replay("derived/lisa7-later")
    summary = _harvest(server)

    # The incremental list was empty (noRecordsMatch); the full identifier list was read.
    assert server.requests[0]["from"] == mirrored.checkpoint
    assert [r["verb"] for r in server.requests] == ["ListRecords"] + [
        "ListIdentifiers"
    ] * 3
    assert "from" not in server.requests[1]
    assert summary.line == "created 0, updated 0, deleted 0, failed 0, withdrawn 2"
    assert (
        summary.reconciliation.line
        == "Reconciled with the 8 identifiers the source lists: 2 withdrawn."
    )
    assert summary.count("withdrawn") == 2

    service = current_rdm_records_service
    notes = {}
    for identifier in (GONE, DELETED):
        with pytest.raises(RecordDeletedException):
            service.read(system_identity, _record_id(identifier))
        record = service.read(
            system_identity, _record_id(identifier), include_deleted=True
        )
        notes[identifier] = record.data["tombstone"]["note"]
        assert HarvestedRecord.query.get(identifier).deleted
    assert notes == {
        GONE: "No longer listed in the set user-lisa7-posters of https://zenodo.org/oai2d.",
        DELETED: "Deleted at the source (https://zenodo.org/oai2d).",
    }
    assert len(_mirror_ids()) == 8

    again = _harvest(server)
    assert again.line == "created 0, updated 0, deleted 0, failed 0"
    assert again.reconciliation.withdrawn == []


def test_a_listing_that_drops_most_records_withdraws_nothing_unless_allowed(
    mirrored, replay
):
    """Only three of ten listed: refused, said so; allowed explicitly, seven are withdrawn."""
    server = replay("derived/lisa7-glitch")
    refused = _harvest(server)
    assert refused.line == "created 0, updated 0, deleted 0, failed 0"
    assert len(refused.reconciliation.refused) == 7
    assert refused.reconciliation.withdrawn == []
    assert "no longer lists 7 of the 10 records" in refused.reconciliation.line
    assert "nothing was withdrawn" in refused.reconciliation.line
    assert len(_mirror_ids()) == 10
    assert HarvestedRecord.query.filter_by(deleted=True).count() == 0

    allowed = _harvest(server, allow_mass_withdrawal=True)
    assert allowed.line == "created 0, updated 0, deleted 0, failed 0, withdrawn 7"
    assert len(_mirror_ids()) == 3


def test_an_incomplete_listing_withdraws_nothing(mirrored, replay):
    """The second page of identifiers never arrives: no reconciliation at all."""
    with OAIFaultProxy(replay("derived/lisa7-later").base_url, rate=0) as proxy:
        # The incremental list, the first page of identifiers, then two drops (no retry left).
        proxy.spoil_next("passed", "passed", "drop", "drop")
        summary = _harvest(
            proxy.base_url, fetch=_fetcher(proxy.base_url, retries=1, timeout=(1, 1))
        )
    assert summary.run.error is None
    assert summary.reconciliation.skipped.startswith(
        "its list of identifiers could not be read to the end (gave up after 2 attempts"
    )
    assert summary.reconciliation.line.startswith("Not reconciled with the source: ")
    assert summary.line == "created 0, updated 0, deleted 0, failed 0"
    assert len(_mirror_ids()) == 10


def test_a_harvest_that_stopped_early_is_not_reconciled(replay, harvest_vocabularies):
    """The recorded community page whose next page was never recorded: no listing asked."""
    server = replay("legacy")
    summary = _harvest(server, fetch=_fetcher(server.base_url, retries=0))
    assert "HTTP 404" in summary.run.error
    assert summary.reconciliation.skipped == "the harvest stopped early"
    assert all(r["verb"] == "ListRecords" for r in server.requests)
