"""Write harvested records into RDM, through its services, into a community mirroring the set.

``RDMHarvestWriter`` is the writer of the pipeline of ``harvest.py``; ``harvest_community``
runs a whole incremental harvest of a Zenodo community into its local mirror, then
reconciles it with the source (``reconcile.py``).
"""

import logging
from dataclasses import dataclass, field
from typing import Optional

from invenio_access.permissions import system_identity
from invenio_communities.proxies import current_communities
from invenio_db import db
from invenio_pidstore.errors import PIDDoesNotExistError, PIDUnregistered
from invenio_rdm_records.proxies import (
    current_rdm_records_service,
    current_record_communities_service,
)
from invenio_rdm_records.services.errors import DeletionStatusException
from invenio_vocabularies.datastreams.errors import WriterError
from invenio_vocabularies.datastreams.writers import BaseWriter

from . import harvest
from .fetch import HttpFetcher
from .models import HarvestCheckpoint, HarvestedRecord, HarvestMembership
from .reasons import error_text
from .reconcile import DELETION_NOTE, Reconciliation, reconcile

logger = logging.getLogger(__name__)


def mirror_slug(set_slug):
    """The slug of the local community mirroring the Zenodo community ``set_slug``."""
    return f"zenodo-{set_slug}"


class TargetCommunityMissing(LookupError):
    """The local community a harvest was asked to write into does not exist."""


def existing_community(slug, identity=system_identity):
    """The local community ``slug``; raise ``TargetCommunityMissing`` if there is none."""
    try:
        return current_communities.service.read(identity, slug)
    except PIDDoesNotExistError:
        raise TargetCommunityMissing(
            f"there is no local community {slug!r} to harvest into: create it first, "
            "or harvest without a target into the Zenodo mirror community"
        ) from None


def ensure_community(slug, title, identity=system_identity):
    """The local community ``slug``, created (public, closed to submissions) if missing."""
    service = current_communities.service
    try:
        return service.read(identity, slug)
    except PIDDoesNotExistError:
        pass
    community = service.create(
        identity,
        {
            "slug": slug,
            "access": {
                "visibility": "public",
                "members_visibility": "public",
                "record_submission_policy": "closed",
            },
            "metadata": {"title": title},
        },
    )
    service.indexer.refresh()
    return community


class RDMHarvestWriter(BaseWriter):
    """Create, update or delete the local copy of each ``Harvested`` entry.

    What each entry became is kept in ``actions`` (OAI identifier to ``created``,
    ``updated``, ``deleted`` or ``absent`` for a deletion of a record never harvested).
    """

    def __init__(
        self,
        community_id,
        community_slug,
        source_set=None,
        identity=system_identity,
        **kwargs,
    ):
        """Records go into the community ``community_id`` (slug ``community_slug``)."""
        self.community_id = str(community_id)
        self.community_slug = community_slug
        self.source_set = source_set
        self.identity = identity
        self.service = current_rdm_records_service
        self.actions = {}
        super().__init__(**kwargs)

    def write(self, stream_entry, *args, **kwargs):
        """Write one entry; raise ``WriterError`` with the reason when it cannot be written."""
        harvested = stream_entry.entry
        identifier = harvested.header.identifier
        row = db.session.get(HarvestedRecord, identifier)
        try:
            if stream_entry.op_type == "delete":
                action = self._delete(harvested, row)
            else:
                action = self._upsert(harvested, row)
        # Whatever the service refuses (invalid input, a vocabulary value unknown here),
        # only this entry fails; its half-done transaction must not reach the next one.
        except Exception as error:  # noqa: BLE001
            db.session.rollback()
            logger.warning("harvest: %s not written", identifier, exc_info=True)
            raise WriterError(error_text(error)) from error
        self.actions[identifier] = action
        return stream_entry

    def write_many(self, stream_entries, *args, **kwargs):
        """Write entries one by one (each is its own transaction)."""
        return [self.write(entry) for entry in stream_entries]

    def _payload(self, harvested):
        record = dict(harvested.record)
        record["files"] = {"enabled": False}
        return record

    def _upsert(self, harvested, row):
        payload = self._payload(harvested)
        if row is None or row.record_id is None:
            draft = self.service.create(self.identity, payload)
            # The row is committed before publishing: a run interrupted after this point
            # finds the draft again instead of creating a second record.
            row = row or HarvestedRecord(oai_identifier=harvested.header.identifier)
            row.record_id = draft.id
            self._keep(row, harvested, deleted=False)
            db.session.commit()
            return self._publish_new(row.record_id)
        if row.deleted:
            # Withdrawn here before (the source had dropped or deleted it) and listed
            # again: the same record comes back, with its history.
            try:
                self.service.restore_record(self.identity, row.record_id)
            except DeletionStatusException:
                pass  # Not withdrawn after all (restored by an administrator).
        try:
            self.service.read(self.identity, row.record_id)
        except (PIDDoesNotExistError, PIDUnregistered):
            # Created but never published (an interrupted run): finish it.
            self.service.update_draft(self.identity, row.record_id, payload)
            action = self._publish_new(row.record_id)
        else:
            self.service.edit(self.identity, row.record_id)
            self.service.update_draft(self.identity, row.record_id, payload)
            self.service.publish(self.identity, row.record_id)
            if (
                db.session.get(
                    HarvestMembership, (row.oai_identifier, self.community_slug)
                )
                is None
            ):
                # Harvested before into another community only: it joins this one too.
                self._include(row.record_id)
            action = "restored" if row.deleted else "updated"
        self._keep(row, harvested, deleted=False)
        db.session.commit()
        return action

    def _publish_new(self, record_id):
        self.service.publish(self.identity, record_id)
        self._include(record_id)
        return "created"

    def _include(self, record_id):
        current_record_communities_service.bulk_add(
            self.identity, self.community_id, [record_id]
        )
        # RDM reindexes a parent's records through a bulk queue: index this one now.
        self.service.indexer.index(self.service.record_cls.pid.resolve(record_id))

    def _delete(self, harvested, row):
        if row is None or row.record_id is None:
            return "absent"
        if not row.deleted:
            source = harvested.provenance.get("source") or "OAI-PMH"
            self.service.delete_record(
                self.identity,
                row.record_id,
                {"note": DELETION_NOTE.format(source=source)},
            )
        self._keep(row, harvested, deleted=True)
        db.session.commit()
        return "deleted"

    def _keep(self, row, harvested, deleted):
        row.datestamp = harvested.header.datestamp
        row.source_set = self.source_set
        row.community_slug = self.community_slug
        row.deleted = deleted
        db.session.add(row)
        if not deleted:
            key = (row.oai_identifier, self.community_slug)
            membership = db.session.get(HarvestMembership, key) or HarvestMembership(
                oai_identifier=row.oai_identifier, community_slug=self.community_slug
            )
            membership.source_set = self.source_set
            db.session.add(membership)


@dataclass
class HarvestSummary:
    """What a community harvest did, for a curator (and a progress display)."""

    run: harvest.HarvestRun
    actions: dict
    from_: Optional[str] = None
    checkpoint: Optional[str] = None
    failures: list = field(default_factory=list)
    community_slug: Optional[str] = None
    """The local community the records went into (the checkpoint's key)."""
    set_spec: Optional[str] = None
    base_url: Optional[str] = None
    expected: Optional[int] = None
    """How many records the source said its list holds (first page's completeListSize)."""

    def count(self, action):
        """How many entries were written as ``action``."""
        return sum(1 for a in self.actions.values() if a == action)

    reconciliation: Optional[Reconciliation] = None
    """What comparing the source's list of identifiers with the community did."""

    @property
    def withdrawn(self):
        """How many records reconciliation withdrew (the source no longer lists them)."""
        return len(self.reconciliation.withdrawn) if self.reconciliation else 0

    @property
    def line(self):
        """``created N, updated N, deleted N, failed N`` (``, restored N``, ``, withdrawn N``
        when there are any)."""
        line = (
            f"created {self.count('created')}, updated {self.count('updated')}, "
            f"deleted {self.count('deleted')}, failed {len(self.failures)}"
        )
        if self.count("restored"):
            line += f", restored {self.count('restored')}"
        return line + (f", withdrawn {self.withdrawn}" if self.withdrawn else "")


def entry_identifier(stream_entry):
    """The OAI identifier of a pipeline entry, whatever stage it stopped at."""
    header = getattr(stream_entry.entry, "header", None)
    return header.identifier if header is not None else "?"


def harvest_community(
    slug,
    *,
    target_slug=None,
    base_url=harvest.ZENODO_OAI,
    metadata_prefix="oai_datacite",
    set_spec=None,
    from_=None,
    fetch=None,
    wrap=None,
    on_announced=None,
    reconcile_deletions=True,
    allow_mass_withdrawal=False,
):
    """Harvest the Zenodo community ``slug`` into a local community; return a summary.

    The records go into the existing local community ``target_slug`` when given
    (``TargetCommunityMissing`` if there is none, before any request), else into the
    mirror ``zenodo-<slug>``, created when missing. The checkpoint is the local
    community's. ``set_spec`` defaults to ``user-<slug>``; ``from_`` to the datestamp
    checkpointed by the last harvest that read its list to the end. The checkpoint
    moves only when the list was read to the end, so an interrupted harvest starts
    again from the same point (records already written are updated, not duplicated).
    ``wrap`` may wrap the stream of entries (a progress bar); ``on_announced(expected)``
    is told the size the source announces for its list (None if it does not say) as
    soon as the first page is read.

    After a harvest that read its list to the end, ``reconcile`` withdraws the records
    the source no longer lists (``reconcile_deletions``, ``allow_mass_withdrawal``).
    """
    set_spec = f"user-{slug}" if set_spec is None else (set_spec or None)
    if target_slug:
        community = existing_community(target_slug)
        local_slug = community.data["slug"]
    else:
        local_slug = mirror_slug(slug)
        community = ensure_community(local_slug, f"{slug} (Zenodo)")
    checkpoint = db.session.get(HarvestCheckpoint, local_slug)
    if from_ is None and checkpoint is not None:
        from_ = checkpoint.last_datestamp
    fetch = fetch or HttpFetcher(base_url)
    reader = harvest.OAIPMHRecordReader(
        fetch,
        metadata_prefix=metadata_prefix,
        set_spec=set_spec,
        from_=from_,
        on_announced=on_announced,
    )
    transformer = harvest.DataCiteTransformer(base_url, metadata_prefix)
    writer = RDMHarvestWriter(community.id, local_slug, source_set=set_spec)

    result = harvest.run(reader, [transformer], [writer], wrap=wrap)
    summary = HarvestSummary(
        result,
        writer.actions,
        from_=from_,
        community_slug=local_slug,
        set_spec=set_spec,
        base_url=base_url,
        expected=reader.expected,
    )
    summary.failures = [
        (entry_identifier(e), "; ".join(map(str, e.errors))) for e in result.failed
    ]
    latest = result.latest_datestamp
    if result.error is None and latest:
        checkpoint = checkpoint or HarvestCheckpoint(community_slug=local_slug)
        checkpoint.base_url = base_url
        checkpoint.metadata_prefix = metadata_prefix
        if not checkpoint.last_datestamp or latest > checkpoint.last_datestamp:
            checkpoint.last_datestamp = latest
        db.session.add(checkpoint)
        db.session.commit()
    summary.checkpoint = checkpoint.last_datestamp if checkpoint else None
    if reconcile_deletions:
        if result.error is None:
            summary.reconciliation = reconcile(
                fetch,
                set_spec=set_spec,
                metadata_prefix=metadata_prefix,
                community_slug=local_slug,
                source=base_url,
                allow_mass_withdrawal=allow_mass_withdrawal,
            )
            for identifier in summary.reconciliation.withdrawn:
                writer.actions[identifier] = "withdrawn"
        else:
            summary.reconciliation = Reconciliation(skipped="the harvest stopped early")
    current_rdm_records_service.indexer.refresh()
    return summary
