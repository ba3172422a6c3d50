"""Previews of the tabular files of RDM records, one row per record file."""

import uuid

from invenio_db import db
from invenio_db.shared import Timestamp
from sqlalchemy.dialects import postgresql
from sqlalchemy_utils.types import JSONType, UUIDType


_JSON = (db.JSON().with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
         .with_variant(JSONType(), "sqlite"))


class TabularPreview(db.Model, Timestamp):
    """The preview of one file of one record (a version), and the state of its task."""

    __tablename__ = "cs4od_tabular_previews"
    __table_args__ = (
        db.UniqueConstraint("record_id", "file_key",
                            name="uq_cs4od_tabular_previews_record_id_file_key"),
    )

    id = db.Column(UUIDType, primary_key=True, default=uuid.uuid4)
    record_id = db.Column(db.String(64), nullable=False, index=True)
    file_key = db.Column(db.Text, nullable=False)
    checksum = db.Column(db.String(100), nullable=True)
    """Checksum of the file the preview was made of."""
    status = db.Column(db.String(16), nullable=False, default="pending")
    """pending, running, succeeded or failed."""
    message = db.Column(db.Text, nullable=True)
    """Why the preview failed, for the person who uploaded the file."""
    attempts = db.Column(db.Integer, nullable=False, default=0)
    result = db.Column(_JSON, nullable=True)
    """The engine's preview: schema, first rows, row count, column statistics."""


class Exploration(db.Model, Timestamp):
    """A chart, analysis or concatenation saved on a project, and its task's state."""

    __tablename__ = "cs4od_explorations"

    id = db.Column(UUIDType, primary_key=True, default=uuid.uuid4)
    project_id = db.Column(db.String(64), nullable=False, index=True)
    kind = db.Column(db.String(16), nullable=False)
    """chart, analysis or concatenation."""
    title = db.Column(db.Text, nullable=False)
    sources = db.Column(_JSON, nullable=False)
    """[{"record_id", "key"}]: the tables it reads (datasets linked to the project)."""
    spec = db.Column(_JSON, nullable=True)
    """The engine's spec of the chart or analysis."""
    user_id = db.Column(
        db.Integer, db.ForeignKey("accounts_user.id", ondelete="SET NULL"), nullable=True)
    status = db.Column(db.String(16), nullable=False, default="queued")
    """queued, running, succeeded or failed."""
    message = db.Column(db.Text, nullable=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    result = db.Column(_JSON, nullable=True)
    """Chart: vega_lite, data, notes, svg; analysis: columns, rows, notes;
    concatenation: report, record_id and key of the derived dataset."""
    code = db.Column(db.Text, nullable=True)
    """A runnable pandas script that reproduces the result."""
