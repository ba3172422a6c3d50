"""Harvesting a recorded Zenodo community into its local mirror, through the RDM service."""

import pytest
from invenio_access.permissions import system_identity
from invenio_communities.proxies import current_communities
from invenio_pidstore.errors import PIDDoesNotExistError
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.services.errors import RecordDeletedException
from invenio_vocabularies.datastreams.datastreams import StreamEntry

from cs4od_invenio.federation import oai
from cs4od_invenio.federation.fetch import HttpFetcher
from cs4od_invenio.federation.harvest import Harvested
from cs4od_invenio.federation.models import HarvestCheckpoint, HarvestedRecord
from cs4od_invenio.federation.writer import (
    RDMHarvestWriter,
    TargetCommunityMissing,
    ensure_community,
    harvest_community,
)

LISA = "lisa7-posters"


def _fetcher(server):
    return HttpFetcher(server.base_url, sleep=lambda s: None, min_interval=0, retries=0)


def _harvest_lisa(server, **kwargs):
    return harvest_community(
        LISA,
        base_url=server.base_url,
        metadata_prefix="oai_datacite3",
        fetch=_fetcher(server),
        **kwargs,
    )


def _records_of(community_slug):
    community = current_communities.service.read(system_identity, community_slug)
    found = current_rdm_records_service.search(
        system_identity,
        params={"q": f"parent.communities.ids:{community.id}", "size": 50},
    )
    return {hit["metadata"]["title"]: hit for hit in found.hits}


def test_community_set_lands_in_its_mirror_with_provenance(
    replay, harvest_vocabularies
):
    """The page of user-lisa7-posters becomes ten published records in zenodo-lisa7-posters."""
    server = replay("legacy")
    summary = _harvest_lisa(server)

    assert summary.line == "created 10, updated 0, deleted 0, failed 0"
    # The next page was never recorded: the run says so and keeps no checkpoint.
    assert "HTTP 404" in summary.run.error
    assert HarvestCheckpoint.query.get("zenodo-lisa7-posters") is None

    records = _records_of("zenodo-lisa7-posters")
    assert len(records) == 10
    poster = records["Catalog management at CDS"]
    assert poster["is_published"]
    assert poster["metadata"]["resource_type"]["id"] == "poster"
    dois = {
        (r["identifier"], r["relation_type"]["id"])
        for r in poster["metadata"]["related_identifiers"]
        if r["scheme"] == "doi"
    }
    assert dois == {("10.5281/zenodo.10314", "isidenticalto")}
    assert poster["files"]["enabled"] is False

    row = HarvestedRecord.query.get("oai:zenodo.org:10314")
    assert row.record_id == poster["id"]
    assert row.source_set == "user-lisa7-posters"
    assert row.datestamp == "2014-06-05T13:27:04Z"


def test_second_harvest_updates_without_duplicates(replay, harvest_vocabularies):
    """Harvesting the same page again updates the ten records in place."""
    server = replay("legacy")
    _harvest_lisa(server)
    first = {t: hit["id"] for t, hit in _records_of("zenodo-lisa7-posters").items()}

    summary = _harvest_lisa(server)
    assert summary.line == "created 0, updated 10, deleted 0, failed 0"
    again = {t: hit["id"] for t, hit in _records_of("zenodo-lisa7-posters").items()}
    assert again == first
    assert HarvestedRecord.query.count() == 10


def _earlier_version_of_the_deleted_record(recorded_deleted):
    """Write, as an earlier harvest would have, the record Zenodo later deleted.

    The recordings hold only its deletion; its earlier DataCite version was not
    recorded, so a minimal one with the title from the deletion's metadata stands in.
    """
    community = ensure_community("zenodo-everything", "Zenodo (Zenodo)")
    writer = RDMHarvestWriter(community.id, "zenodo-everything")
    header = oai.Header(
        identifier=recorded_deleted.identifier,
        datestamp="2023-10-01T00:00:00Z",
        set_specs=(),
        deleted=False,
    )
    entry = StreamEntry(
        Harvested(
            header,
            {
                "metadata": {
                    "resource_type": {"id": "dataset"},
                    "title": "Earlier version of a record Zenodo deleted",
                    "publisher": "Zenodo",
                    "publication_date": "2023-10-01",
                    "creators": [
                        {"person_or_org": {"type": "organizational", "name": "Zenodo"}}
                    ],
                },
                "access": {"record": "public", "files": "public"},
            },
            [],
            {"source": "https://zenodo.org/oai2d"},
        ),
        op_type="upsert",
    )
    writer.write(entry)
    return HarvestedRecord.query.get(recorded_deleted.identifier).record_id


def _harvest_everything(server, **options):
    """Harvest the whole replayed list (no set) in oai_dc, by default into
    "zenodo-everything"; ``options`` go to ``harvest_community`` (e.g. target_slug)."""
    return harvest_community(
        "everything",
        **options,
        base_url=server.base_url,
        metadata_prefix="oai_dc",
        set_spec="",
        fetch=_fetcher(server),
    )


def test_deleted_header_deletes_and_bad_records_are_reported(
    replay, harvest_vocabularies
):
    """The 2026 list: its deleted record is deleted here, the eight others fail with reasons."""
    server = replay("2026")
    deleted_header = oai.Header(
        identifier="oai:zenodo.org:8433364", datestamp=None, set_specs=(), deleted=True
    )
    record_id = _earlier_version_of_the_deleted_record(deleted_header)

    summary = _harvest_everything(server)

    assert summary.run.error is None
    assert summary.line == "created 0, updated 0, deleted 1, failed 8"
    assert all("no DataCite" in reason for _, reason in summary.failures)
    # The report names the record before its reason; the reason does not repeat it.
    assert not any(reason.startswith("oai:") for _, reason in summary.failures)
    with pytest.raises(RecordDeletedException):
        current_rdm_records_service.read(system_identity, record_id)
    assert HarvestedRecord.query.get("oai:zenodo.org:8433364").deleted
    # The list was read to the end: the next harvest starts from its newest datestamp.
    assert summary.checkpoint == summary.run.latest_datestamp
    assert (
        HarvestCheckpoint.query.get("zenodo-everything").last_datestamp
        == summary.checkpoint
    )

    server.requests.clear()
    later = _harvest_everything(server)
    assert server.requests[0]["from"] == summary.checkpoint
    # No recording answers that request: the run stops and the checkpoint stays.
    assert "HTTP 404" in later.run.error
    assert later.checkpoint == summary.checkpoint


def test_interrupted_write_is_finished_by_the_next_harvest(
    replay, harvest_vocabularies, monkeypatch
):
    """A publication that failed midway leaves a draft that the next run publishes, once."""
    service = current_rdm_records_service
    publish = service.publish
    calls = []

    def flaky_publish(identity, id_, *args, **kwargs):
        calls.append(id_)
        if len(calls) == 1:
            raise RuntimeError("connection to the search cluster lost")
        return publish(identity, id_, *args, **kwargs)

    monkeypatch.setattr(service, "publish", flaky_publish)
    server = replay("legacy")
    interrupted = _harvest_lisa(server)
    assert interrupted.line == "created 9, updated 0, deleted 0, failed 1"
    (failure,) = interrupted.failures
    assert failure[0] == "oai:zenodo.org:10165"
    assert "connection to the search cluster lost" in failure[1]

    resumed = _harvest_lisa(server)
    assert resumed.line == "created 1, updated 9, deleted 0, failed 0", resumed.failures
    records = _records_of("zenodo-lisa7-posters")
    assert len(records) == 10
    assert (
        "Adapting educational materials in data management for Astronomy graduate "
        "students" in records
    )
    assert HarvestedRecord.query.count() == 10


def test_target_community_receives_the_records_and_keeps_the_checkpoint(
    replay, harvest_vocabularies
):
    """With a target, the records land in that existing community; no mirror is created."""
    ensure_community("astro-posters", "Astronomy posters")
    server = replay("legacy")
    summary = _harvest_lisa(server, target_slug="astro-posters")

    assert summary.line == "created 10, updated 0, deleted 0, failed 0"
    assert (summary.community_slug, summary.set_spec) == (
        "astro-posters",
        "user-lisa7-posters",
    )
    # The first page announced completeListSize="21".
    assert summary.expected == 21
    assert len(_records_of("astro-posters")) == 10
    with pytest.raises(PIDDoesNotExistError):
        current_communities.service.read(system_identity, "zenodo-lisa7-posters")
    assert {r.community_slug for r in HarvestedRecord.query.all()} == {"astro-posters"}


def test_checkpoint_is_keyed_by_the_target_community(replay, harvest_vocabularies):
    """A complete list checkpoints the target; the next run asks from that datestamp."""
    ensure_community("everything-here", "Everything")
    server = replay("2026")
    summary = _harvest_everything(server, target_slug="everything-here")
    assert summary.run.error is None
    assert (
        HarvestCheckpoint.query.get("everything-here").last_datestamp
        == summary.checkpoint
    )
    assert HarvestCheckpoint.query.get("zenodo-everything") is None

    server.requests.clear()
    _harvest_everything(server, target_slug="everything-here")
    assert server.requests[0]["from"] == summary.checkpoint


def test_missing_target_community_is_refused_before_any_request(
    replay, harvest_vocabularies
):
    """A target that does not exist is a clear error; nothing is fetched or created."""
    server = replay("legacy")
    with pytest.raises(TargetCommunityMissing, match="no local community 'nowhere'"):
        _harvest_lisa(server, target_slug="nowhere")
    assert server.requests == []
    assert HarvestedRecord.query.count() == 0
    with pytest.raises(PIDDoesNotExistError):
        current_communities.service.read(system_identity, "zenodo-lisa7-posters")
