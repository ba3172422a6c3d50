"""Why a harvested record failed, in words for the curators' report."""

from invenio_records.systemfields.relations.errors import InvalidRelationValue
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError


def _flat_messages(messages, path=""):
    """Marshmallow's nested messages as "metadata.creators.0.name: message" lines."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flat_messages(value, f"{path}.{key}" if path else str(key))
    elif isinstance(messages, (list, tuple)):
        for value in messages:
            yield from _flat_messages(value, path)
    else:
        yield f"{path}: {messages}" if path else str(messages)


def error_text(error):
    """What went wrong with a record, in words for a curator's report: no SQL and no
    exception reprs (the worker's log has the details of unexpected errors)."""
    if isinstance(error, ValidationError):
        return "invalid metadata: " + "; ".join(_flat_messages(error.messages))
    if isinstance(error, InvalidRelationValue):
        return f"a vocabulary value this repository does not have ({error})"
    if isinstance(error, SQLAlchemyError):
        return (
            "the database refused the change (the record may have been changed at the "
            "same time); the next harvest tries again"
        )
    return f"{type(error).__name__}: {error}"
