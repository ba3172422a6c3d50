"""The configured REANA server and each user's access token to it (kept encrypted
with the site's secret key; never shown back)."""

import datetime

from flask import current_app
from invenio_db import db
from marshmallow import ValidationError

from .models import ReanaToken


def reana_server():
    """The configured REANA server's URL, or None (runs use the local runner)."""
    return current_app.config.get("CS4OD_REANA_SERVER_URL") or None


def token_status(user_id):
    """Whether the user has a REANA access token, and since when (never the token,
    which is not even decrypted here)."""
    row = None
    if user_id is not None:
        row = (
            db.session.query(ReanaToken.created, ReanaToken.updated)
            .filter_by(user_id=user_id)
            .first()
        )
    return {
        "server": reana_server(),
        "set": row is not None,
        "created": row.created.isoformat() if row else None,
        "updated": row.updated.isoformat() if row else None,
    }


def set_token(user_id, token):
    """Keep (or replace) the user's REANA access token, encrypted."""
    if not reana_server():
        raise ValidationError({"token": ["No REANA server is configured here."]})
    token = token.strip() if isinstance(token, str) else ""
    if not token or len(token) > 1024 or any(c.isspace() for c in token):
        raise ValidationError(
            {"token": ["Give the access token REANA shows on your profile page."]}
        )
    # Replaced without reading the old one (it may no longer decrypt).
    replaced = ReanaToken.query.filter_by(user_id=user_id).update(
        {"token": token, "updated": datetime.datetime.now(datetime.timezone.utc)}
    )
    if not replaced:
        db.session.add(ReanaToken(user_id=user_id, token=token))
    db.session.commit()
    return token_status(user_id)


def remove_token(user_id):
    """Forget the user's REANA access token."""
    ReanaToken.query.filter_by(user_id=user_id).delete()
    db.session.commit()
    return token_status(user_id)


class NoToken(Exception):
    """The run's user has no usable REANA access token."""


def token(user_id):
    """The user's REANA access token, decrypted, or None when there is none."""
    if user_id is None:
        return None
    try:
        return db.session.query(ReanaToken.token).filter_by(user_id=user_id).scalar()
    except ValueError:  # encrypted with another SECRET_KEY
        db.session.rollback()
        raise NoToken(
            "Your stored REANA access token can no longer be read (the"
            " site's secret key changed): set it again."
        ) from None
