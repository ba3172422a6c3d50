"""What the harvester keeps between runs: each harvested record, each community's checkpoint."""

from invenio_db import db
from invenio_db.shared import Timestamp


class HarvestedRecord(db.Model, Timestamp):
    """A record harvested over OAI-PMH and the local RDM record that mirrors it.

    The unique OAI identifier makes harvests idempotent: harvesting the record again
    updates ``record_id`` instead of creating another record.
    """

    __tablename__ = "cs4od_harvested"

    oai_identifier = db.Column(db.String(255), primary_key=True)
    record_id = db.Column(db.String(64), nullable=True)
    """Id of the local RDM record (its draft's id until the first publication)."""
    datestamp = db.Column(db.String(32), nullable=True)
    """The source's datestamp of the version last written."""
    source_set = db.Column(db.String(255), nullable=True)
    """The OAI-PMH set it was harvested from."""
    community_slug = db.Column(db.String(100), nullable=True)
    """The local community that mirrors the set."""
    deleted = db.Column(db.Boolean, nullable=False, default=False)
    """The source deleted it, and so was the local record."""


class HarvestCheckpoint(db.Model, Timestamp):
    """The ``from`` of a community's next incremental harvest."""

    __tablename__ = "cs4od_harvest_checkpoints"

    community_slug = db.Column(db.String(100), primary_key=True)
    base_url = db.Column(db.String(255), nullable=False)
    metadata_prefix = db.Column(db.String(64), nullable=False)
    last_datestamp = db.Column(db.String(32), nullable=False)
    """Newest datestamp of the last harvest that read its list to the end."""


class HarvestMembership(db.Model, Timestamp):
    """A local community that receives a harvested record, and the set it came through.

    One source record is one local record, whichever communities mirror it: a Zenodo
    record in two Zenodo communities mirrored here is one record in both local ones.
    Reconciling a community withdraws only what no other community still receives.
    """

    __tablename__ = "cs4od_harvest_memberships"

    oai_identifier = db.Column(
        db.String(255), db.ForeignKey(HarvestedRecord.oai_identifier, ondelete="CASCADE"),
        primary_key=True)
    community_slug = db.Column(db.String(100), primary_key=True)
    source_set = db.Column(db.String(255), nullable=True)
