"""One Zenodo record mirrored by two local communities is one local record in both.

A Zenodo record is often in several Zenodo communities; two local communities may mirror
sets that share records. The record is written once and joins each community; when one
set drops it, it only leaves that community while another still mirrors it; a record
listed again after it was withdrawn comes back (the same record, restored).
Recordings: derived/lisa7-paged and derived/lisa7-later (see tests/data/zenodo-oai/README.md).
"""

import pytest
from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.services.errors import RecordDeletedException

from cs4od_invenio.federation.fetch import HttpFetcher
from cs4od_invenio.federation.models import HarvestedRecord, HarvestMembership
from cs4od_invenio.federation.writer import ensure_community, harvest_community
from helpers import community_record_ids

GONE, DELETED = "oai:zenodo.org:10165", "oai:zenodo.org:10314"
MIRROR, OTHER = "zenodo-lisa7-posters", "space-posters"


def _harvest(server, **kwargs):
    fetch = HttpFetcher(server.base_url, sleep=lambda s: None, min_interval=0)
    return harvest_community(
        "lisa7-posters",
        base_url="https://zenodo.org/oai2d",
        metadata_prefix="oai_datacite3",
        fetch=fetch,
        **kwargs,
    )


def _record_id(identifier):
    return HarvestedRecord.query.get(identifier).record_id


@pytest.fixture()
def both(replay, harvest_vocabularies):
    """The ten posters mirrored by zenodo-lisa7-posters and by space-posters."""
    paged = replay("derived/lisa7-paged")
    assert _harvest(paged).line == "created 10, updated 0, deleted 0, failed 0"
    ensure_community(OTHER, "Space posters")
    summary = _harvest(paged, target_slug=OTHER)
    assert summary.line == "created 0, updated 10, deleted 0, failed 0"
    return paged


def test_a_record_of_two_mirrored_sets_is_one_record_in_both_communities(both):
    assert community_record_ids(MIRROR) == community_record_ids(OTHER)
    assert len(community_record_ids(OTHER)) == 10
    assert HarvestedRecord.query.count() == 10
    assert HarvestMembership.query.count() == 20
    total = current_rdm_records_service.search(
        system_identity, params={"size": 1}
    ).total
    assert total == 10


def test_a_record_one_set_drops_only_leaves_that_community(both, replay):
    later = replay("derived/lisa7-later")
    summary = _harvest(later, target_slug=OTHER)

    # Gone from the set: out of space-posters, still in the mirror and public.
    # Deleted at the source: withdrawn everywhere.
    assert summary.reconciliation.removed == [GONE]
    assert summary.reconciliation.withdrawn == [DELETED]
    assert "1 taken out of this community only" in summary.reconciliation.line
    assert _record_id(GONE) not in community_record_ids(OTHER)
    assert _record_id(GONE) in community_record_ids(MIRROR)
    current_rdm_records_service.read(system_identity, _record_id(GONE))
    with pytest.raises(RecordDeletedException):
        current_rdm_records_service.read(system_identity, _record_id(DELETED))
    assert (
        len(community_record_ids(OTHER)) == 8 and len(community_record_ids(MIRROR)) == 9
    )

    # The mirror's own reconciliation then withdraws what no community receives.
    mirror = _harvest(later)
    assert mirror.reconciliation.withdrawn == [GONE]
    with pytest.raises(RecordDeletedException):
        current_rdm_records_service.read(system_identity, _record_id(GONE))


def test_a_withdrawn_record_listed_again_comes_back(both, replay):
    _harvest(replay("derived/lisa7-later"))
    _harvest(replay("derived/lisa7-later"), target_slug=OTHER)
    withdrawn = _record_id(GONE)
    with pytest.raises(RecordDeletedException):
        current_rdm_records_service.read(system_identity, withdrawn)

    # The whole set again (no `from`): both posters are listed, as they were at first.
    summary = _harvest(both, target_slug=OTHER, from_="")
    assert summary.count("restored") == 2
    assert "restored 2" in summary.line
    assert _record_id(GONE) == withdrawn
    assert current_rdm_records_service.read(system_identity, withdrawn).id == withdrawn
    assert withdrawn in community_record_ids(OTHER)
    assert not HarvestedRecord.query.get(GONE).deleted
