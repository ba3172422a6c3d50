"""Reconciliation: withdraw the harvested records that the source no longer lists.

Zenodo does not report deletions over OAI-PMH, so after a harvest that read its list to
the end, ``reconcile`` compares the set's identifiers with the records harvested from it.
"""

from dataclasses import dataclass, field
from typing import Optional

from invenio_access.permissions import system_identity
from invenio_communities.proxies import current_communities
from invenio_db import db
from invenio_rdm_records.proxies import (
    current_rdm_records_service,
    current_record_communities_service,
)
from invenio_rdm_records.services.errors import DeletionStatusException

from .fetch import HarvestError
from .harvest import OAIPMHRecordReader
from .models import HarvestedRecord, HarvestMembership
from .reasons import error_text

DELETION_NOTE = "Deleted at the source ({source})."
WITHDRAWAL_NOTE = "No longer listed in the set {set_spec} of {source}."
MAX_WITHDRAWN_SHARE = 0.5
"""Reconciliation withdraws at most this share of a community's harvested records,
unless asked to do more (a glitch at the source must not wipe a mirror)."""


@dataclass
class Reconciliation:
    """The source's list of identifiers compared with the records harvested from it."""

    listed: Optional[int] = None
    """Identifiers the source lists (not marked deleted); None if not read to the end."""
    held: int = 0
    """Records of the community harvested from the set and not withdrawn before."""
    withdrawn: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    """Identifiers taken out of the community only (another mirrored set still has them)."""
    refused: list = field(default_factory=list)
    """Identifiers not withdrawn because they were too many (see ``MAX_WITHDRAWN_SHARE``)."""
    failures: list = field(default_factory=list)
    skipped: Optional[str] = None
    """Why there was no reconciliation, if there was none."""

    @property
    def line(self):
        """One sentence for a curator."""
        if self.skipped:
            return f"Not reconciled with the source: {self.skipped}."
        if self.refused:
            return (
                f"Not reconciled: the source no longer lists {len(self.refused)} of the "
                f"{self.held} records harvested from it, more than "
                f"{MAX_WITHDRAWN_SHARE:.0%}; nothing was withdrawn. If the source did "
                "remove them, harvest again allowing a mass withdrawal."
            )
        line = (
            f"Reconciled with the {self.listed} identifiers the source lists: "
            f"{len(self.withdrawn)} withdrawn"
        )
        if self.removed:
            line += (
                f", {len(self.removed)} taken out of this community only (another "
                "community here still mirrors them)"
            )
        if self.failures:
            line += f", {len(self.failures)} could not be withdrawn"
        return line + "."


def harvested_from(set_spec, community_slug):
    """Rows of the records harvested from ``set_spec`` into the community, not withdrawn."""
    query = HarvestedRecord.query.join(
        HarvestMembership,
        HarvestMembership.oai_identifier == HarvestedRecord.oai_identifier,
    ).filter(
        HarvestMembership.community_slug == community_slug,
        HarvestedRecord.deleted.is_(False),
        HarvestedRecord.record_id.isnot(None),
    )
    if set_spec:
        return query.filter(HarvestMembership.source_set == set_spec)
    return query.filter(HarvestMembership.source_set.is_(None))


def _other_communities(row, community_slug):
    """Other local communities that still receive the record of ``row``."""
    return HarvestMembership.query.filter(
        HarvestMembership.oai_identifier == row.oai_identifier,
        HarvestMembership.community_slug != community_slug,
    ).count()


def reconcile(
    fetch,
    *,
    set_spec,
    metadata_prefix,
    community_slug,
    source,
    allow_mass_withdrawal=False,
    identity=system_identity,
):
    """Withdraw the community's records harvested from ``set_spec`` that the source dropped.

    Zenodo does not report deletions over OAI-PMH: the set's identifiers are listed
    (``ListIdentifiers``, every page) and every record harvested from that set into the
    community that is not listed, or is listed as deleted, is withdrawn with a note
    naming the source. Nothing is withdrawn unless the list was read to the end, nor
    when more than ``MAX_WITHDRAWN_SHARE`` of the records would go, unless
    ``allow_mass_withdrawal``.
    """
    reader = OAIPMHRecordReader(
        fetch,
        verb="ListIdentifiers",
        metadata_prefix=metadata_prefix,
        set_spec=set_spec,
    )
    status = {}
    try:
        for record in reader.read():
            status[record.header.identifier] = record.header.deleted
    except HarvestError as error:
        return Reconciliation(
            skipped=f"its list of identifiers could not be read to the "
            f"end ({error})"
        )
    listed = {identifier for identifier, deleted in status.items() if not deleted}
    rows = harvested_from(set_spec, community_slug).all()
    result = Reconciliation(listed=len(listed), held=len(rows))
    gone = sorted(
        (row for row in rows if row.oai_identifier not in listed),
        key=lambda row: row.oai_identifier,
    )
    if len(gone) > MAX_WITHDRAWN_SHARE * len(rows) and not allow_mass_withdrawal:
        result.refused = [row.oai_identifier for row in gone]
        return result
    for row in gone:
        deleted_at_source = status.get(row.oai_identifier)
        membership = db.session.get(
            HarvestMembership, (row.oai_identifier, community_slug)
        )
        try:
            if not deleted_at_source and _other_communities(row, community_slug):
                # Still in another mirrored set: it only leaves this community.
                _leave(identity, row.record_id, community_slug)
                db.session.delete(membership)
                db.session.commit()
                result.removed.append(row.oai_identifier)
                continue
            if deleted_at_source:
                note = DELETION_NOTE.format(source=source)
            else:
                note = WITHDRAWAL_NOTE.format(
                    set_spec=set_spec or "(all records)", source=source
                )
            try:
                current_rdm_records_service.delete_record(
                    identity, row.record_id, {"note": note}
                )
            except DeletionStatusException:
                pass  # Withdrawn here already (by a curator): the row catches up.
        except Exception as error:  # noqa: BLE001
            db.session.rollback()
            result.failures.append((row.oai_identifier, error_text(error)))
            continue
        row.deleted = True
        db.session.add(row)
        db.session.commit()
        result.withdrawn.append(row.oai_identifier)
    return result


def _leave(identity, record_id, community_slug):
    """Take the record out of the local community ``community_slug`` (it stays public)."""
    community = current_communities.service.read(identity, community_slug)
    _, errors = current_record_communities_service.remove(
        identity, record_id, {"communities": [{"id": str(community.id)}]}
    )
    if errors:
        raise RuntimeError("; ".join(e["message"] for e in errors))
