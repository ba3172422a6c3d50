"""Bad pages and expired resumption tokens: fetched again, not the end of a harvest.

The answers are real recorded Zenodo pages, replayed, spoiled on the way by the fault
proxy (tests/standins/oai_fault_proxy.py) or, for the cut page, as Zenodo sent it.
"""

import pytest
from standins.oai_fault_proxy import OAIFaultProxy
from standins.zenodo_oai import DATA

from cs4od_invenio.federation.fetch import HarvestError, HttpFetcher
from cs4od_invenio.federation.harvest import (
    DataCiteTransformer,
    OAIPMHRecordReader,
    iter_pages,
    run,
)

EXPIRED = (DATA / "2026" / "list_records-11.xml").read_bytes()
"""Zenodo's real answer to an unknown resumption token (badResumptionToken, HTTP 422)."""


class Sleeps(list):
    """Records the waits instead of sleeping."""

    def __call__(self, seconds):
        self.append(seconds)


@pytest.fixture()
def proxied(replay):
    """A fault proxy in front of a replay folder; stopped after the test."""
    proxies = []

    def start(folder, **kwargs):
        proxy = OAIFaultProxy(replay(folder).base_url, rate=0, **kwargs).start()
        proxies.append(proxy)
        return proxy

    yield start
    for proxy in proxies:
        proxy.stop()


def _fetcher(url, **kwargs):
    kwargs.setdefault("timeout", (2, 0.5))
    return HttpFetcher(url, sleep=Sleeps(), min_interval=0, backoff=0.25, **kwargs)


def _identifiers(result):
    return [e.entry.header.identifier for e in result.entries]


def _harvest_2026(fetch, **kwargs):
    reader = OAIPMHRecordReader(fetch, metadata_prefix="oai_dc", **kwargs)
    return reader, run(
        reader, [DataCiteTransformer("https://zenodo.org/oai2d", "oai_dc")]
    )


@pytest.fixture()
def clean_2026(replay):
    """The identifiers of the 2026 oai_dc list read without any fault, in order."""
    reader, result = _harvest_2026(_fetcher(replay("2026").base_url))
    assert result.error is None and reader.pages == 3
    return _identifiers(result)


def test_page_cut_short_is_fetched_again(proxied, clean_2026):
    """A cut page (well framed or closed early) costs a retry, not the harvest."""
    proxy = proxied("2026")
    proxy.spoil_next("truncate")
    fetch = _fetcher(proxy.base_url)
    reader, result = _harvest_2026(fetch)

    assert result.error is None
    assert _identifiers(result) == clean_2026
    assert proxy.injected["truncate"] == 1
    # The first page was asked for twice, after one backoff.
    assert proxy.requests[0] == proxy.requests[1]
    assert fetch.sleep == [0.25]


def test_page_closed_before_its_announced_length_is_fetched_again(proxied, clean_2026):
    """A body shorter than its Content-Length is a transport error, retried the same way."""
    proxy = proxied("2026")
    fetch = _fetcher(proxy.base_url)
    reader = OAIPMHRecordReader(fetch, metadata_prefix="oai_dc")
    pages = iter(iter_pages(fetch, reader.params))
    next(pages)
    proxy.spoil_next("truncate-early", "drop", "stall")
    rest = list(pages)

    assert len(rest) == 2
    assert (
        proxy.requests[1] == proxy.requests[2] == proxy.requests[3] == proxy.requests[4]
    )
    assert fetch.sleep == [0.25, 0.5, 1.0]


def test_real_cut_page_gives_up_after_the_retry_budget(replay):
    """Zenodo's recorded cut ListIdentifiers page stays cut: the harvest ends, and says why."""
    server = replay("2024")
    fetch = _fetcher(server.base_url, retries=2)
    pages = iter_pages(fetch, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    first, second = next(pages), next(pages)
    assert len(first.records) == len(second.records) == 3
    with pytest.raises(
        HarvestError, match="gave up after 3 attempts: not an OAI-PMH answer"
    ):
        next(pages)
    assert server.requests[-1] == server.requests[-2] == server.requests[-3]
    assert fetch.sleep == [0.25, 0.5]


def test_expired_token_restarts_the_list_once_and_yields_each_record_once(
    proxied, clean_2026
):
    """badResumptionToken on page 3: the list starts again; nothing is lost or doubled."""
    proxy = proxied("2026")
    fetch = _fetcher(proxy.base_url)
    reader = OAIPMHRecordReader(fetch, metadata_prefix="oai_dc")
    pages = iter_pages(fetch, reader.params)
    asked = proxy.requests
    next(pages)
    next(pages)
    proxy.expire_tokens(1, EXPIRED)
    assert len(list(pages)) == 3  # pages 1, 2 and 3 of the restarted list
    assert [q.get("resumptionToken", "first")[:6] for q in asked] == [
        "first",
        ".eJwlz",
        ".eJwlz",
        "first",
        ".eJwlz",
        ".eJwlz",
    ]

    proxy.expire_tokens(1, EXPIRED)
    reader, result = _harvest_2026(_fetcher(proxy.base_url))
    assert result.error is None
    assert _identifiers(result) == clean_2026
    assert len(reader.restarts) == 1
    assert "badResumptionToken" in reader.restarts[0]
    assert result.restarts == reader.restarts


def test_token_refused_after_every_restart_ends_the_harvest(proxied):
    """Restarts are bounded: the third refusal (two restarts allowed) is an error."""
    proxy = proxied("2026")
    proxy.expire_tokens(3, EXPIRED)
    reader, result = _harvest_2026(_fetcher(proxy.base_url), max_restarts=2)
    assert "restarted 2 times" in result.error
    assert "badResumptionToken" in result.error
    assert len(reader.restarts) == 2
    # Records of the first page were read; they are handed on once, not three times.
    assert len(result.entries) == 3
    assert len(set(_identifiers(result))) == 3
