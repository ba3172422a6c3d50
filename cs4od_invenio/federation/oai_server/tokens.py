"""Resumption tokens that hold the whole state of a list: no cursor is kept open.

A token is the list's arguments plus the position after the last item sent (the sort
values of ``search_after``), signed with the instance's secret and the verb, and valid
``OAISERVER_RESUMPTION_TOKEN_EXPIRE_TIME`` seconds. Since nothing lives on the search
cluster, the lifetime can be long; a token altered, expired or given to another verb is
a ``badResumptionToken``.
"""

from datetime import datetime, timedelta, timezone

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from .arguments import BAD_RESUMPTION_TOKEN, OAIError


def _serializer(verb):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"cs4od-oai-{verb}")


def lifetime():
    """Seconds a token stays valid."""
    return int(current_app.config["OAISERVER_RESUMPTION_TOKEN_EXPIRE_TIME"])


def expiration_date():
    """When a token issued now expires."""
    return datetime.now(timezone.utc) + timedelta(seconds=lifetime())


def issue(verb, args, cursor, after):
    """A token for the next page: ``args`` of the list, items sent, last sort values."""
    return _serializer(verb).dumps({"args": args, "cursor": cursor, "after": after})


def read(verb, token):
    """The state a token of ``verb`` holds, or ``badResumptionToken``."""
    try:
        state = _serializer(verb).loads(token, max_age=lifetime())
        if not isinstance(state.get("args"), dict) or not isinstance(state.get("cursor"), int):
            raise BadData("incomplete token")
    except BadData:
        raise OAIError(BAD_RESUMPTION_TOKEN,
                       "The resumptionToken is invalid or has expired.")
    return state
