"""Harvest pipeline over HTTP: the real fetcher against replayed Zenodo answers."""

from datetime import datetime, timezone

import pytest
from invenio_vocabularies.datastreams.writers import BaseWriter

from cs4od_invenio.federation.fetch import (
    FetchError,
    HarvestError,
    HttpFetcher,
    retry_after_seconds,
)
from cs4od_invenio.federation.harvest import (
    DataCiteTransformer,
    OAIPMHRecordReader,
    iter_pages,
    run,
)


class Sleeps(list):
    """Records the waits instead of sleeping."""

    def __call__(self, seconds):
        self.append(seconds)


def _fetcher(server, **kwargs):
    return HttpFetcher(server.base_url, sleep=Sleeps(), min_interval=0, **kwargs)


class ListWriter(BaseWriter):
    """Keeps what it is given, as a writer through the RDM service would receive it."""

    def __init__(self):
        super().__init__()
        self.written = []

    def write(self, stream_entry, *args, **kwargs):
        self.written.append((stream_entry.op_type, stream_entry.entry))
        return stream_entry

    def write_many(self, stream_entries, *args, **kwargs):
        return [self.write(e) for e in stream_entries]


def test_resumption_across_pages_with_a_deleted_record(replay):
    """Three oai_dc pages are followed by token; the deleted one is a deletion entry."""
    server = replay("2026")
    reader = OAIPMHRecordReader(_fetcher(server), metadata_prefix="oai_dc")
    writer = ListWriter()
    result = run(reader, [DataCiteTransformer(server.base_url, "oai_dc")], [writer])

    assert result.error is None
    assert result.pages == 3
    assert [r.get("resumptionToken", "")[:12] for r in server.requests] == [
        "",
        ".eJwlzEuOgjA",
        ".eJwlzEuOgjA",
    ]
    assert len(result.entries) == 9
    (deleted,) = result.deleted
    assert deleted.entry.header.identifier == "oai:zenodo.org:8433364"
    assert deleted.entry.record is None
    assert deleted.entry.provenance["datestamp"] == "2023-10-12T03:01:25Z"
    # oai_dc is not DataCite: each such record fails on its own, none stops the run.
    assert len(result.failed) == 8
    assert all("no DataCite" in e.errors[0] for e in result.failed)
    # Only the deletion reached the writer.
    assert [(op, h.header.identifier) for op, h in writer.written] == [
        ("delete", "oai:zenodo.org:8433364")
    ]


def test_resumption_in_the_2024_recordings(replay):
    """The January 2024 chain (three pages) ends without an error."""
    server = replay("2024")
    reader = OAIPMHRecordReader(_fetcher(server), metadata_prefix="oai_dc")
    result = run(reader, [DataCiteTransformer(server.base_url, "oai_dc")])
    assert result.error is None
    assert result.pages == 3
    assert len(result.entries) == 9
    assert [e.entry.header.identifier for e in result.deleted] == [
        "oai:zenodo.org:2510668"
    ]


def test_datacite_page_becomes_rdm_input_with_provenance(replay):
    """A 50-record datacite page: every record mapped, provenance points back to Zenodo."""
    server = replay("2026")
    reader = OAIPMHRecordReader(
        _fetcher(server), metadata_prefix="datacite", max_pages=1
    )
    writer = ListWriter()
    result = run(reader, [DataCiteTransformer(server.base_url, "datacite")], [writer])

    assert result.error is None
    assert len(result.upserted) == 50
    assert result.failed == []
    harvested = {h.header.identifier: h for op, h in writer.written}
    first = harvested["oai:zenodo.org:8435696"]
    assert first.record["metadata"]["title"].startswith("PocketCoffea")
    assert first.provenance == {
        "source": server.base_url,
        "metadata_prefix": "datacite",
        "oai_identifier": "oai:zenodo.org:8435696",
        "datestamp": first.header.datestamp,
        "set_specs": list(first.header.set_specs),
        "doi": "10.5281/zenodo.8435696",
    }
    assert [u.value for u in harvested["oai:zenodo.org:8436799"].report] == ["."]


def test_community_set_harvest_keeps_records_when_the_next_page_fails(replay):
    """user-lisa7-posters: page 1 is harvested; its next page was never recorded (404)."""
    server = replay("legacy")
    reader = OAIPMHRecordReader(
        _fetcher(server, retries=0),
        metadata_prefix="oai_datacite3",
        set_spec="user-lisa7-posters",
    )
    result = run(reader, [DataCiteTransformer(server.base_url, "oai_datacite3")])

    assert server.requests[0] == {
        "verb": "ListRecords",
        "metadataPrefix": "oai_datacite3",
        "set": "user-lisa7-posters",
    }
    assert "HTTP 404" in result.error
    assert len(result.upserted) == 10
    assert result.upserted[0].entry.record["metadata"]["resource_type"] == {
        "id": "poster"
    }
    assert all(
        "user-lisa7-posters" in e.entry.provenance["set_specs"] for e in result.upserted
    )


def test_the_announced_size_is_told_as_soon_as_the_first_page_is_read(replay):
    """Four pages of a list of ten: its size is known before the second page is asked."""
    server = replay("derived/lisa7-paged")
    told = []
    reader = OAIPMHRecordReader(
        _fetcher(server),
        metadata_prefix="oai_datacite3",
        set_spec="user-lisa7-posters",
        on_announced=lambda expected: told.append((expected, len(server.requests))),
    )
    result = run(reader, [DataCiteTransformer(server.base_url, "oai_datacite3")])

    assert told == [(10, 1)]
    assert result.pages == 4 and len(result.upserted) == 10


def test_unknown_metadata_prefix_ends_the_run_with_the_oai_error(replay):
    """Zenodo's 422 badArgument answer is read and reported, not taken as a crash."""
    server = replay("2026")
    reader = OAIPMHRecordReader(_fetcher(server), metadata_prefix="XXX")
    result = run(reader, [DataCiteTransformer(server.base_url, "XXX")])
    assert result.entries == []
    assert "badArgument" in result.error
    assert "metadataPrefix does not exist" in result.error


def test_unknown_set_is_an_empty_harvest(replay):
    """noRecordsMatch (422 on Zenodo) means nothing to harvest, not a failure."""
    server = replay("2026")
    reader = OAIPMHRecordReader(
        _fetcher(server), metadata_prefix="oai_dc", set_spec="XXX"
    )
    result = run(reader, [DataCiteTransformer(server.base_url, "oai_dc")])
    assert (result.entries, result.error) == ([], None)


def test_expired_token_is_a_harvest_error(replay):
    """badResumptionToken (422) stops the harvest with the server's message."""
    server = replay("2026")
    pages = iter_pages(
        _fetcher(server), {"verb": "ListRecords", "resumptionToken": "XXX"}
    )
    with pytest.raises(HarvestError, match="badResumptionToken"):
        list(pages)


def test_html_answer_is_a_harvest_error(replay):
    """An HTML page where OAI-PMH was expected stops the harvest with a clear error."""
    server = replay("other")
    with pytest.raises(HarvestError, match="not an OAI-PMH answer"):
        list(iter_pages(_fetcher(server), {"verb": "Identify"}))


def test_503_with_retry_after_is_waited_for(replay):
    """A 503 with Retry-After is retried after the time the server asked for."""
    server = replay("2026")
    server.fail_next(503, {"Retry-After": "7"})
    fetch = _fetcher(server)
    params = {
        "verb": "GetRecord",
        "identifier": "oai:zenodo.org:10357859",
        "metadataPrefix": "datacite",
    }
    body = fetch(params)
    assert b"Research Data Management Organiser (RDMO)" in body
    assert fetch.sleep == [7.0]
    assert len(server.requests) == 2


def test_unanswerable_request_fails_at_once(replay):
    """A 404 is not retried: the fetcher raises with the status."""
    server = replay("2026")
    fetch = _fetcher(server)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch({"verb": "Identify"})
    assert fetch.sleep == []


def test_persistent_503_gives_up_after_backing_off(replay):
    """Without Retry-After the waits double; after the last retry the fetcher gives up."""
    server = replay("2026")
    for _ in range(3):
        server.fail_next(503)
    fetch = _fetcher(server, retries=2, backoff=1.5)
    with pytest.raises(FetchError, match="gave up after 3 attempts: HTTP 503"):
        fetch({"verb": "ListRecords", "metadataPrefix": "datacite"})
    assert fetch.sleep == [1.5, 3.0]


def test_requests_are_paced(replay):
    """Requests are spaced by min_interval (Zenodo allows about 30 a minute)."""
    server = replay("2026")
    ticks = iter([0.0, 0.5, 2.0])
    fetch = HttpFetcher(
        server.base_url, sleep=Sleeps(), min_interval=2.0, clock=lambda: next(ticks)
    )
    fetch({"verb": "ListRecords", "metadataPrefix": "datacite"})
    fetch({"verb": "ListRecords", "metadataPrefix": "datacite"})
    assert fetch.sleep == [1.5]


def test_retry_after_as_http_date():
    """Retry-After may be a date: the wait is the time until then."""
    now = datetime(2026, 8, 13, 18, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Thu, 13 Aug 2026 18:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("soon") is None


def test_a_crashing_record_does_not_stop_the_others(replay):
    """An unexpected exception on one record is kept on that entry; the rest go on."""
    server = replay("2024")

    class Fragile(DataCiteTransformer):
        def apply(self, stream_entry, *args, **kwargs):
            if stream_entry.entry.header.identifier == "oai:zenodo.org:2510668":
                raise RuntimeError("mapping bug")
            return super().apply(stream_entry)

    reader = OAIPMHRecordReader(
        _fetcher(server), metadata_prefix="datacite", max_pages=1
    )
    result = run(reader, [Fragile(server.base_url, "datacite")])
    assert [e.entry.header.identifier for e in result.failed] == [
        "oai:zenodo.org:2510668"
    ]
    assert "mapping bug" in result.failed[0].errors[0]
    assert len(result.upserted) == 2
