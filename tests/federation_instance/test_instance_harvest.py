"""A CS4OD instance harvests another one: records of a community, served as ``oai_datacite``
by ``/oai2d`` over loopback HTTP, become copies in a community of the harvesting instance;
the next harvests are incremental and carry edits and deletions over.

Source and harvester are the same test instance, two communities apart. A second app on
a database and index prefix of its own would cost this module another schema, ~35 index
creations and a second application (tens of seconds), and would prove nothing more: the
harvester learns about the source only through HTTP (``HttpFetcher`` against the served
``/oai2d``, answers built from the search index by the web app's own thread), and what it
writes (the copies, ``cs4od_harvested``, the checkpoint) is never read by the source side.
The one thing a shared instance could fake is a feedback loop -- copies harvested back as
new records -- and every harvest below asserts that nothing of the kind is created: the
copies are in the target community's set, not in the harvested one. What a shared
instance cannot show is a harvester whose vocabularies lack what the source uses (both
sides know the same entries; the harvesting side needs the ``updated`` date type and the
``ispartof`` relation type that InvenioRDM's DataCite answers carry).
"""

import html
import re

import requests
from instance_source import PAGE_SIZE, SOURCE_SLUG, TARGET_SLUG, wait_for_next_second
from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_rdm_records.proxies import current_rdm_records_service

from cs4od_invenio.federation.fetch import HttpFetcher
from cs4od_invenio.federation.models import HarvestCheckpoint, HarvestedRecord
from cs4od_invenio.federation.writer import harvest_community

SOURCE_SET = f"community-{SOURCE_SLUG}"


class RecordingSession(requests.Session):
    """The harvester's HTTP session, keeping the query of each request."""

    def __init__(self):
        """No request yet."""
        super().__init__()
        self.queries = []

    def get(self, url, params=None, **kwargs):
        """GET, remembering ``params``."""
        self.queries.append(dict(params or {}))
        return super().get(url, params=params, **kwargs)

    def first(self, verb):
        """The query of the first request of ``verb``."""
        return next(q for q in self.queries if q.get("verb") == verb)


def _harvest(endpoint):
    session = RecordingSession()
    # The harvester's own fetcher, without pauses or retries (a local server).
    fetch = HttpFetcher(
        endpoint, session=session, min_interval=0, retries=0, timeout=(5, 60)
    )
    summary = harvest_community(
        SOURCE_SLUG,
        target_slug=TARGET_SLUG,
        base_url=endpoint,
        set_spec=SOURCE_SET,
        fetch=fetch,
    )
    assert summary.run.error is None, summary.run.error
    return summary, session


def _oai_id(record):
    return record["pids"]["oai"]["identifier"]


def _copy_id(record):
    return db.session.get(HarvestedRecord, _oai_id(record)).record_id


def _text(description):
    """A description as a reader sees it (DataCite carries no markup)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", description or ""))
    return " ".join(text.split())


def _people(metadata):
    return [(c["person_or_org"], c.get("affiliations")) for c in metadata["creators"]]


def _api(portal, path, **params):
    response = requests.get(f"{portal}/api{path}", params=params, timeout=30)
    return response.status_code, response.json()


def _target_titles(portal):
    status, found = _api(portal, f"/communities/{TARGET_SLUG}/records", size=50)
    assert status == 200, found
    return sorted(hit["metadata"]["title"] for hit in found["hits"]["hits"])


def test_a_cs4od_community_is_harvested_by_another_cs4od(source, target, portal):
    endpoint = f"{portal}/oai2d"
    records = source["records"]

    first, fetch = _harvest(endpoint)
    assert first.line == "created 4, updated 0, deleted 0, failed 0", first.failures
    assert first.run.pages == len(records) // PAGE_SIZE
    assert first.expected == len(records)
    pages = [q for q in fetch.queries if q["verb"] == "ListRecords"]
    assert len(pages) == 2 and "resumptionToken" in pages[1]

    copies = {}
    for record in records:
        copy = current_rdm_records_service.read(
            system_identity, _copy_id(record)
        ).to_dict()
        copies[record["id"]] = copy
        assert copy["id"] != record["id"]
        got, sent = copy["metadata"], record["metadata"]
        assert got["title"] == sent["title"]
        assert _people(got) == _people(sent)
        assert got["resource_type"]["id"] == sent["resource_type"]["id"]
        assert got.get("identifiers") == sent.get("identifiers")
        for field in ("publication_date", "publisher", "subjects", "version"):
            assert got.get(field) == sent.get(field), field
        assert [r["id"] for r in got["rights"]] == [r["id"] for r in sent["rights"]]
        assert _text(got["description"]) == _text(sent["description"])
        assert copy["files"]["enabled"] is False
        # Provenance: the copy "is identical to" the source's landing page, keeps the
        # source's own related identifiers and says which community it came from.
        related = {
            (r["identifier"], r["relation_type"]["id"])
            for r in got["related_identifiers"]
        }
        assert related == {
            (f"{portal}/records/{record['id']}", "isidenticalto"),
            (f"{portal}/communities/{SOURCE_SLUG}/", "ispartof"),
        } | {
            (r["identifier"], r["relation_type"]["id"])
            for r in sent.get("related_identifiers", [])
        }
        row = db.session.get(HarvestedRecord, _oai_id(record))
        assert (row.source_set, row.community_slug, row.deleted) == (
            SOURCE_SET,
            TARGET_SLUG,
            False,
        )
    # Real metadata of several kinds went through: organisations, ORCID, DOIs, a notebook.
    assert {c["metadata"]["resource_type"]["id"] for c in copies.values()} == {
        "dataset",
        "software-computationalnotebook",
    }
    checkpoint = db.session.get(HarvestCheckpoint, TARGET_SLUG)
    assert (checkpoint.base_url, checkpoint.last_datestamp) == (
        endpoint,
        first.checkpoint,
    )
    assert _target_titles(portal) == sorted(r["metadata"]["title"] for r in records)
    status, found = _api(portal, f"/communities/{SOURCE_SLUG}/records", size=50)
    assert (status, found["hits"]["total"]) == (200, len(records))

    # An edit at the source: the next harvest asks only from the checkpoint, and gets
    # the edited record and the one of the checkpoint's second (``from`` is inclusive).
    wait_for_next_second()
    edited, last = records[0], records[-1]
    service = current_rdm_records_service
    curator = source["curator"].identity
    draft = service.edit(curator, edited["id"]).to_dict()
    draft["metadata"]["title"] += " (revised edition)"
    service.update_draft(curator, edited["id"], draft)
    service.publish(curator, edited["id"])
    service.indexer.refresh()

    second, fetch = _harvest(endpoint)
    assert fetch.first("ListRecords")["from"] == first.checkpoint
    assert second.line == "created 0, updated 2, deleted 0, failed 0", second.failures
    assert set(second.actions) == {_oai_id(edited), _oai_id(last)}
    assert HarvestedRecord.query.count() == len(records)
    assert {r["id"]: _copy_id(r) for r in records} == {
        id_: copy["id"] for id_, copy in copies.items()
    }
    assert (
        service.read(system_identity, copies[edited["id"]]["id"]).data["metadata"][
            "title"
        ]
        == draft["metadata"]["title"]
    )

    # The source deletes a record; the next harvest withdraws the copy.
    withdrawn = records[1]
    service.delete_record(
        system_identity, withdrawn["id"], {"note": "Duplicate of the record on Zenodo"}
    )
    service.indexer.refresh()

    third, fetch = _harvest(endpoint)
    assert fetch.first("ListRecords")["from"] == second.checkpoint
    assert third.line == "created 0, updated 1, deleted 1, failed 0", third.failures
    assert third.actions[_oai_id(withdrawn)] == "deleted"
    assert db.session.get(HarvestedRecord, _oai_id(withdrawn)).deleted
    status, tombstone = _api(portal, f"/records/{copies[withdrawn['id']]['id']}")
    assert status == 410, tombstone
    assert _target_titles(portal) == sorted(
        [draft["metadata"]["title"]]
        + [r["metadata"]["title"] for r in records if r not in (edited, withdrawn)]
    )
