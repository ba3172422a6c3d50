"""OAI-PMH 2.0 response parsing: records, headers, resumption tokens and errors.

Pure functions over the bytes a server sent. Zenodo (like stock invenio-oaiserver)
answers OAI errors with HTTP 422, so callers hand over the body whatever the status and
let ``parse_page`` tell an error answer from a list page.
"""

from dataclasses import dataclass, field
from typing import Optional

from lxml import etree

from . import safexml

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
_OAI = f"{{{OAI_NS}}}"
LIST_VERBS = ("ListRecords", "ListIdentifiers", "ListSets", "ListMetadataFormats")


class NotOAIResponse(ValueError):
    """The server answered with something that is not an OAI-PMH document (e.g. HTML)."""


class OAIError(Exception):
    """The server answered with OAI-PMH ``<error>`` elements (code and message each)."""

    def __init__(self, errors):
        """Keep every ``(code, message)`` pair; the first one names the error."""
        self.errors = list(errors)
        self.code, self.message = self.errors[0]
        text = "; ".join(f"{code}: {msg}" if msg else code for code, msg in self.errors)
        super().__init__(text)


@dataclass(frozen=True)
class Header:
    """An OAI-PMH record header."""

    identifier: str
    datestamp: str
    set_specs: tuple = ()
    deleted: bool = False


@dataclass(frozen=True)
class Record:
    """A record of a page: its header and its metadata element (None in ListIdentifiers)."""

    header: Header
    metadata: Optional[etree._Element] = None


@dataclass(frozen=True)
class ResumptionToken:
    """A resumption token; ``complete_list_size`` is None when the server sent no number."""

    value: str
    cursor: Optional[int] = None
    complete_list_size: Optional[int] = None
    expiration_date: Optional[str] = None
    raw_complete_list_size: Optional[str] = None


@dataclass(frozen=True)
class Page:
    """One OAI-PMH answer: the verb, its records and the token to the next page."""

    verb: str
    response_date: Optional[str]
    request: dict
    records: tuple = ()
    resumption_token: Optional[ResumptionToken] = None
    element: Optional[etree._Element] = field(default=None, repr=False, compare=False)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(element):
    if element is None:
        return None
    return (element.text or "").strip() or None


def parse_header(element):
    """A ``Header`` from an OAI ``<header>`` element."""
    return Header(
        identifier=_text(element.find(f"{_OAI}identifier")),
        datestamp=_text(element.find(f"{_OAI}datestamp")),
        set_specs=tuple(
            t for t in (_text(s) for s in element.findall(f"{_OAI}setSpec")) if t
        ),
        deleted=element.get("status") == "deleted",
    )


def _parse_token(element):
    if element is None:
        return None
    value = _text(element)
    if not value:
        # An empty token marks the last page of a list.
        return None
    raw_size = element.get("completeListSize")
    return ResumptionToken(
        value=value,
        cursor=_int_or_none(element.get("cursor")),
        complete_list_size=_int_or_none(raw_size),
        expiration_date=element.get("expirationDate"),
        raw_complete_list_size=raw_size,
    )


def _records(verb_element, verb):
    if verb == "ListIdentifiers":
        return tuple(
            Record(parse_header(h)) for h in verb_element.findall(f"{_OAI}header")
        )
    records = []
    for element in verb_element.findall(f"{_OAI}record"):
        metadata = element.find(f"{_OAI}metadata")
        payload = None
        if metadata is not None:
            children = [c for c in metadata if isinstance(c.tag, str)]
            payload = children[0] if children else None
        records.append(Record(parse_header(element.find(f"{_OAI}header")), payload))
    return tuple(records)


def parse_page(data):
    """Parse an OAI-PMH answer into a ``Page``; raise ``OAIError`` or ``NotOAIResponse``."""
    try:
        root = safexml.parse(data)
    except safexml.NotXMLError as error:
        start = bytes(data[:60]) if isinstance(data, (bytes, bytearray)) else data[:60]
        raise NotOAIResponse(f"not XML ({error}); starts with {start!r}") from None
    if root.tag != f"{_OAI}OAI-PMH":
        raise NotOAIResponse(f"XML root is {root.tag!r}, not OAI-PMH")
    errors = [
        (e.get("code") or "", (e.text or "").strip())
        for e in root.findall(f"{_OAI}error")
    ]
    if errors:
        raise OAIError(errors)
    request = root.find(f"{_OAI}request")
    request_params = dict(request.attrib) if request is not None else {}
    for child in root:
        if not isinstance(child.tag, str) or not child.tag.startswith(_OAI):
            continue
        verb = etree.QName(child).localname
        if verb in ("responseDate", "request"):
            continue
        records = (
            _records(child, verb)
            if verb in ("ListRecords", "ListIdentifiers", "GetRecord")
            else ()
        )
        return Page(
            verb=verb,
            response_date=_text(root.find(f"{_OAI}responseDate")),
            request=request_params,
            records=records,
            resumption_token=_parse_token(child.find(f"{_OAI}resumptionToken")),
            element=child,
        )
    raise NotOAIResponse("OAI-PMH document without a verb element or an error")
