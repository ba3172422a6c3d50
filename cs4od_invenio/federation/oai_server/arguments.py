"""OAI-PMH 2.0 request arguments: which verb takes which, their syntax, and the errors.

Spec sections 3.1.1 (arguments), 3.3 (dates) and 3.6 (errors). A request is answered
with ``badVerb`` when ``verb`` is missing, repeated or unknown, and with ``badArgument``
when an argument is unknown to the verb, missing, repeated, or has an illegal syntax
(dates, date granularities that differ, ``from`` after ``until``, a set or format
name outside the spec's character set), or when ``resumptionToken`` comes with
anything else than the verb.
"""

import re
from datetime import datetime, timedelta, timezone

BAD_ARGUMENT = "badArgument"
BAD_RESUMPTION_TOKEN = "badResumptionToken"
BAD_VERB = "badVerb"
CANNOT_DISSEMINATE_FORMAT = "cannotDisseminateFormat"
ID_DOES_NOT_EXIST = "idDoesNotExist"
NO_RECORDS_MATCH = "noRecordsMatch"
NO_SET_HIERARCHY = "noSetHierarchy"


class OAIError(Exception):
    """An OAI-PMH error condition, answered in the response body."""

    def __init__(self, code, message):
        """An error ``code`` of the spec with a message for people."""
        super().__init__(message)
        self.code = code
        self.message = message


LIST = {"required": {"metadataPrefix"}, "optional": {"from", "until", "set"},
        "exclusive": "resumptionToken"}
VERBS = {
    "Identify": {},
    "ListMetadataFormats": {"optional": {"identifier"}},
    "ListSets": {"exclusive": "resumptionToken"},
    "GetRecord": {"required": {"identifier", "metadataPrefix"}},
    "ListIdentifiers": LIST,
    "ListRecords": LIST,
}
"""Arguments of each verb: required, optional, and the exclusive one."""

SPEC_CHARS = r"[A-Za-z0-9\-_.!~*'()]+"
SET_SPEC = re.compile(rf"{SPEC_CHARS}(:{SPEC_CHARS})*")
METADATA_PREFIX = re.compile(SPEC_CHARS)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class UTCDate:
    """A ``from``/``until`` value: its text, its instant and its granularity."""

    def __init__(self, name, text, granularity):
        """Parse ``text``; ``granularity`` is the repository's (``YYYY-MM-DD...``)."""
        self.text = text
        if DAY.fullmatch(text):
            self.day = True
            parse = "%Y-%m-%d"
        elif SECOND.fullmatch(text) and granularity != "YYYY-MM-DD":
            self.day = False
            parse = "%Y-%m-%dT%H:%M:%SZ"
        else:
            raise OAIError(BAD_ARGUMENT, f"'{name}' is not a date of this repository's "
                                         f"granularity ({granularity}): {text}")
        try:
            self.instant = datetime.strptime(text, parse).replace(tzinfo=timezone.utc)
        except ValueError:
            raise OAIError(BAD_ARGUMENT, f"'{name}' is not a valid date: {text}")

    @property
    def end(self):
        """The first instant after this date at its granularity (``until`` is inclusive)."""
        return self.instant + (timedelta(days=1) if self.day else timedelta(seconds=1))


def parse(values, granularity):
    """The verb and its arguments from a request's ``MultiDict``, or an ``OAIError``."""
    verbs = values.getlist("verb")
    if not verbs:
        raise OAIError(BAD_VERB, "The request has no verb.")
    if len(verbs) > 1:
        raise OAIError(BAD_VERB, "The verb is repeated.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError(BAD_VERB, f"'{verb}' is not an OAI-PMH verb.")

    rules = VERBS[verb]
    allowed = rules.get("required", set()) | rules.get("optional", set())
    exclusive = rules.get("exclusive")
    args = {}
    for key, given in values.lists():
        if key == "verb":
            continue
        if key not in allowed and key != exclusive:
            raise OAIError(BAD_ARGUMENT, f"'{key}' is not an argument of {verb}.")
        if len(given) > 1:
            raise OAIError(BAD_ARGUMENT, f"'{key}' is repeated.")
        args[key] = given[0]

    if exclusive and exclusive in args:
        if len(args) > 1:
            raise OAIError(BAD_ARGUMENT, f"{exclusive} is an exclusive argument.")
        return verb, args
    missing = sorted(rules.get("required", set()) - set(args))
    if missing:
        raise OAIError(BAD_ARGUMENT, f"{verb} requires {', '.join(missing)}.")
    check_list_arguments(args, granularity)
    return verb, args


def check_list_arguments(args, granularity):
    """Syntax of ``metadataPrefix``, ``set``, ``from`` and ``until``."""
    if "metadataPrefix" in args and not METADATA_PREFIX.fullmatch(args["metadataPrefix"]):
        raise OAIError(BAD_ARGUMENT, "metadataPrefix has characters a prefix cannot have.")
    if "set" in args and not SET_SPEC.fullmatch(args["set"]):
        raise OAIError(BAD_ARGUMENT, "set is not a setSpec.")
    dates = {name: UTCDate(name, args[name], granularity)
             for name in ("from", "until") if name in args}
    if len(dates) == 2:
        if dates["from"].day != dates["until"].day:
            raise OAIError(BAD_ARGUMENT, "from and until have different granularities.")
        if dates["from"].instant > dates["until"].instant:
            raise OAIError(BAD_ARGUMENT, "from is later than until.")
    return dates
