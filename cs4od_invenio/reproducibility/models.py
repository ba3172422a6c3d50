"""A project's edited reana.yaml and its runs."""

import uuid

from invenio_db import db
from invenio_db.shared import Timestamp
from sqlalchemy.dialects import postgresql
from sqlalchemy_utils.types import JSONType, UUIDType

_JSON = (db.JSON().with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
         .with_variant(JSONType(), "sqlite"))


class ReanaSpec(db.Model, Timestamp):
    """The reana.yaml a project's owner saved (without one, it is generated)."""

    __tablename__ = "cs4od_reana_specs"

    project_id = db.Column(db.String(64), primary_key=True)
    text = db.Column(db.Text, nullable=False)


class ReproducibleRun(db.Model, Timestamp):
    """One run of a project's reana.yaml, with REANA's states."""

    __tablename__ = "cs4od_runs"

    id = db.Column(UUIDType, primary_key=True, default=uuid.uuid4)
    project_id = db.Column(db.String(64), nullable=False, index=True)
    runner = db.Column(db.String(16), nullable=False, default="local")
    state = db.Column(db.String(16), nullable=False, default="created")
    """created, queued, pending, running, finished, failed, stopped or deleted."""
    message = db.Column(db.Text, nullable=True)
    workdir = db.Column(db.Text, nullable=True)
    outputs = db.Column(_JSON, nullable=True)
    """{"present": [...], "missing": [...]} of the declared outputs."""
    log_tail = db.Column(db.Text, nullable=True)
    user_id = db.Column(
        db.Integer, db.ForeignKey("accounts_user.id", ondelete="SET NULL"), nullable=True)
