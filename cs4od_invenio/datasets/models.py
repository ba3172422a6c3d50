"""The state of each Zenodo record imported into CS4OD (one row per Zenodo record)."""

import uuid

from invenio_db import db
from sqlalchemy.dialects import postgresql
from invenio_db.shared import Timestamp
from sqlalchemy_utils.types import JSONType, UUIDType


class ZenodoImport(db.Model, Timestamp):
    """A Zenodo record, its copy here and the state of its latest import.

    The unique Zenodo id makes imports idempotent: importing the same record again
    updates the copy named in ``record_id`` instead of making another one.
    """

    __tablename__ = "cs4od_zenodo_imports"

    id = db.Column(UUIDType, primary_key=True, default=uuid.uuid4)
    zenodo_id = db.Column(db.String(64), nullable=False, unique=True)
    record_id = db.Column(db.String(64), nullable=True)
    """Id of the RDM record that copies the Zenodo record (None until the first success)."""
    project_id = db.Column(db.String(64), nullable=True)
    """The project the latest import links the copy into."""
    user_id = db.Column(
        db.Integer, db.ForeignKey("accounts_user.id", ondelete="SET NULL"), nullable=True)
    """Who asked for the latest import; the copy belongs to them."""
    status = db.Column(db.String(16), nullable=False, default="queued")
    """queued, running, succeeded or failed."""
    message = db.Column(db.Text, nullable=True)
    """Why the latest import failed, or what it could not carry over."""
    progress = db.Column(
        db.JSON().with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
        .with_variant(JSONType(), "sqlite"),
        default=dict, nullable=True)
    """{"files_total", "files_done", "bytes_total", "bytes_done", "step"}."""
