"""A project's reproducibility choices, its runs, and users' REANA access tokens."""

import uuid

from flask import current_app
from invenio_db import db
from invenio_db.shared import Timestamp
from sqlalchemy.dialects import postgresql
from sqlalchemy_utils.types import JSONType, StringEncryptedType, UUIDType

_JSON = (db.JSON().with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
         .with_variant(JSONType(), "sqlite"))


def _secret_key():
    """The key tokens are encrypted with: the application's SECRET_KEY."""
    return current_app.config["SECRET_KEY"]


class ReanaSpec(db.Model, Timestamp):
    """A project's reproducibility choices: the workflow type of its generated
    reana.yaml, and the reana.yaml its owner saved (None: the generated one applies)."""

    __tablename__ = "cs4od_reana_specs"

    project_id = db.Column(db.String(64), primary_key=True)
    text = db.Column(db.Text, nullable=True)
    workflow = db.Column(db.String(16), nullable=False, default="serial",
                         server_default="serial")
    """serial (notebooks with papermill) or cwl."""


class ReproducibleRun(db.Model, Timestamp):
    """One run of a project's reana.yaml, with REANA's states."""

    __tablename__ = "cs4od_runs"

    id = db.Column(UUIDType, primary_key=True, default=uuid.uuid4)
    project_id = db.Column(db.String(64), nullable=False, index=True)
    runner = db.Column(db.String(16), nullable=False, default="local")
    """local (the local runner) or reana (the configured REANA server)."""
    state = db.Column(db.String(16), nullable=False, default="created")
    """created, queued, pending, running, finished, failed, stopped or deleted."""
    message = db.Column(db.Text, nullable=True)
    workdir = db.Column(db.Text, nullable=True)
    outputs = db.Column(_JSON, nullable=True)
    """{"present": [...], "missing": [...]} of the declared outputs."""
    log_tail = db.Column(db.Text, nullable=True)
    workflow = db.Column(db.String(128), nullable=True)
    """REANA's name of the run (``name.N``), once it was created there."""
    user_id = db.Column(
        db.Integer, db.ForeignKey("accounts_user.id", ondelete="SET NULL"), nullable=True)


class ReanaToken(db.Model, Timestamp):
    """A user's personal REANA access token, encrypted at rest with the SECRET_KEY
    (as invenio-oauthclient keeps remote tokens); it is never shown back."""

    __tablename__ = "cs4od_reana_tokens"

    user_id = db.Column(
        db.Integer, db.ForeignKey("accounts_user.id", ondelete="CASCADE"),
        primary_key=True)
    token = db.Column(StringEncryptedType(type_in=db.Text, key=_secret_key),
                      nullable=False)
