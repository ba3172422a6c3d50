"""The six OAI-PMH verbs over records and projects.

Each function appends the verb's element to the response and raises ``OAIError`` for
the spec's error conditions: ``cannotDisseminateFormat`` for a format the repository
(or, in GetRecord, the item) does not have, ``idDoesNotExist`` for an identifier that
is not exposed, ``noRecordsMatch`` for an empty list (an unknown set included, as
stock does: the spec has no "no such set" error), ``noSetHierarchy`` when the
repository has no set at all. Lists are sorted by datestamp then id and paged with
``search_after``, so a harvest sees every item that existed when it started.
"""

import re
from datetime import datetime, timezone

from flask import current_app, url_for
from invenio_oaiserver.utils import sanitize_unicode
from invenio_search import current_search_client
from invenio_search.engine import dsl
from lxml import etree

from . import tokens
from .arguments import (
    CANNOT_DISSEMINATE_FORMAT,
    ID_DOES_NOT_EXIST,
    NO_RECORDS_MATCH,
    NO_SET_HIERARCHY,
    OAIError,
    check_list_arguments,
)
from .sources import projects_set, sources, stored_sets

NS = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
REPOSITORY_IDENTIFIER = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
SORT = [{"updated": {"order": "asc"}}, {"id": {"order": "asc"}}]

DELETED_RECORD = "persistent"
"""Records and projects removed keep a tombstone forever, and OAI-PMH shows it."""


def element(parent, name, text=None, **attributes):
    """A child in the OAI-PMH namespace."""
    child = etree.SubElement(parent, f"{{{NS}}}{name}", **attributes)
    if text is not None:
        child.text = sanitize_unicode(str(text))
    return child


def datestamp(value):
    """An index date (ISO 8601 with offset) as an OAI-PMH UTC datestamp."""
    instant = datetime.fromisoformat(value)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _search(*source_list):
    return dsl.Search(using=current_search_client, index=[s.index for s in source_list])


def _all_sources():
    return sources(current_app.config)


#
# Identify, ListMetadataFormats, ListSets
#
def identify(parent, args):
    """Name, base URL, admins, earliest datestamp, deletion policy, granularity."""
    config = current_app.config
    every = _all_sources()
    earliest = (
        _search(*every)
        .query(dsl.Q("bool", should=[s.exposed() for s in every], minimum_should_match=1))
        .sort(*SORT).source(["updated"]).extra(size=1).execute()
    )
    identify = element(parent, "Identify")
    element(identify, "repositoryName", config["OAISERVER_REPOSITORY_NAME"])
    element(identify, "baseURL", url_for("invenio_oaiserver.response", _external=True))
    element(identify, "protocolVersion", "2.0")
    for email in config["OAISERVER_ADMIN_EMAILS"]:
        element(identify, "adminEmail", email)
    element(identify, "earliestDatestamp",
            datestamp(earliest[0].updated) if len(earliest) else "1970-01-01T00:00:00Z")
    element(identify, "deletedRecord", DELETED_RECORD)
    element(identify, "granularity", config["OAISERVER_GRANULARITY"])
    _oai_identifier_description(identify)
    for description in config.get("OAISERVER_DESCRIPTIONS") or []:
        element(identify, "description").append(etree.fromstring(description))


def _oai_identifier_description(identify):
    """The oai-identifier description (guidelines-oai-identifier), when the prefix fits."""
    prefix = current_app.config["OAISERVER_ID_PREFIX"]
    if not REPOSITORY_IDENTIFIER.fullmatch(prefix):
        return
    root = etree.SubElement(
        element(identify, "description"), f"{{{OAI_IDENTIFIER}}}oai-identifier",
        nsmap={None: OAI_IDENTIFIER, "xsi": XSI},
        attrib={f"{{{XSI}}}schemaLocation":
                f"{OAI_IDENTIFIER} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"})
    for name, text in [("scheme", "oai"), ("repositoryIdentifier", prefix),
                       ("delimiter", ":"),
                       ("sampleIdentifier", f"oai:{prefix}:project/abcde-12345")]:
        etree.SubElement(root, f"{{{OAI_IDENTIFIER}}}{name}").text = text


def list_metadata_formats(parent, args):
    """The repository's formats, or those of one item."""
    formats = current_app.config["OAISERVER_METADATA_FORMATS"]
    prefixes = list(formats)
    if "identifier" in args:
        source, _hit = find(args["identifier"])
        prefixes = [p for p in prefixes if p in source.formats()]
    answer = element(parent, "ListMetadataFormats")
    for prefix in prefixes:
        entry = element(answer, "metadataFormat")
        element(entry, "metadataPrefix", prefix)
        element(entry, "schema", formats[prefix]["schema"])
        element(entry, "metadataNamespace", formats[prefix]["namespace"])


def all_sets():
    """``(spec, name, description)`` of every set: the projects set, then stored ones."""
    virtual = projects_set()
    found = [(virtual["spec"], virtual["name"], virtual.get("description"))] if virtual else []
    return found + [(s.spec, s.name or s.spec, s.description) for s in stored_sets()]


def list_sets(parent, args):
    """The sets, a page at a time."""
    state = tokens.read("ListSets", args["resumptionToken"]) if "resumptionToken" in args \
        else {"args": {}, "cursor": 0}
    every = all_sets()
    if not every:
        raise OAIError(NO_SET_HIERARCHY, "This repository has no sets.")
    size = current_app.config["OAISERVER_PAGE_SIZE"]
    cursor = state["cursor"]
    page = every[cursor:cursor + size]
    if not page:
        raise OAIError(NO_RECORDS_MATCH, "No more sets.")
    answer = element(parent, "ListSets")
    for spec, name, description in page:
        entry = element(answer, "set")
        element(entry, "setSpec", spec)
        element(entry, "setName", name)
        if description:
            dc = etree.SubElement(
                element(entry, "setDescription"), f"{{{OAI_DC}}}dc",
                nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
                attrib={f"{{{XSI}}}schemaLocation":
                        f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"})
            etree.SubElement(dc, f"{{{DC}}}description").text = sanitize_unicode(description)
    _resumption(answer, "ListSets", {}, cursor, len(page), len(every),
                after=None, more=cursor + len(page) < len(every))


#
# Items
#
def find(identifier):
    """The source and index hit of an exposed item, or ``idDoesNotExist``."""
    for source in _all_sources():
        query = source.lookup(identifier)
        if query is None:
            continue
        hits = _search(source).query(source.exposed() & query).extra(size=1).execute()
        for hit in hits:
            document = hit.to_dict()
            if source.identifier(document) == identifier:
                return source, document
    raise OAIError(ID_DOES_NOT_EXIST, f"No item has the identifier {identifier}.")


def _header(parent, source, document, sets):
    attributes = {"status": "deleted"} if source.is_deleted(document) else {}
    header = element(parent, "header", **attributes)
    element(header, "identifier", source.identifier(document))
    element(header, "datestamp", datestamp(document["updated"]))
    for spec in sets:
        element(header, "setSpec", spec)
    return header


def _record(parent, source, document, sets, prefix):
    record = element(parent, "record")
    _header(record, source, document, sets)
    if not source.is_deleted(document):
        element(record, "metadata").append(source.serialize(prefix, document))


def _check_format(prefix):
    if prefix not in current_app.config["OAISERVER_METADATA_FORMATS"]:
        raise OAIError(CANNOT_DISSEMINATE_FORMAT,
                       f"This repository has no metadata format '{prefix}'.")


def get_record(parent, args):
    """One item in one format; a deleted item as a header with status deleted."""
    _check_format(args["metadataPrefix"])
    source, document = find(args["identifier"])
    if args["metadataPrefix"] not in source.formats():
        raise OAIError(CANNOT_DISSEMINATE_FORMAT,
                       f"{args['identifier']} is not available as {args['metadataPrefix']}.")
    _record(element(parent, "GetRecord"), source, document,
            source.sets([document])[0], args["metadataPrefix"])


def list_identifiers(parent, args):
    """Headers of the items of a list."""
    _list(parent, "ListIdentifiers", args)


def list_records(parent, args):
    """Headers and metadata of the items of a list."""
    _list(parent, "ListRecords", args)


def _list(parent, verb, args):
    if "resumptionToken" in args:
        state = tokens.read(verb, args["resumptionToken"])
        list_args = state["args"]
    else:
        state, list_args = {"cursor": 0, "after": None}, args
    prefix = list_args["metadataPrefix"]
    _check_format(prefix)
    dates = check_list_arguments(list_args, current_app.config["OAISERVER_GRANULARITY"])

    if "set" in list_args and not all_sets():
        raise OAIError(NO_SET_HIERARCHY, "This repository has no sets.")
    clauses, used = [], []
    for source in _all_sources():
        if prefix not in source.formats():
            continue
        query = source.exposed()
        if "set" in list_args:
            in_set = source.set_query(list_args["set"])
            if in_set is None:
                continue
            query &= in_set
        clauses.append(query)
        used.append(source)
    if not used:
        raise OAIError(NO_RECORDS_MATCH, "No item matches the request.")

    query = dsl.Q("bool", should=clauses, minimum_should_match=1)
    window = {}
    if "from" in dates:
        window["gte"] = dates["from"].instant.isoformat()
    if "until" in dates:
        window["lt"] = dates["until"].end.isoformat()
    if window:
        query &= dsl.Q("range", updated=window)

    size = current_app.config["OAISERVER_PAGE_SIZE"]
    search = _search(*used).query(query).sort(*SORT).extra(
        size=size + 1, track_total_hits=True)
    if state.get("after"):
        search = search.extra(search_after=state["after"])
    response = search.execute()
    hits = list(response.hits)
    page, more = hits[:size], len(hits) > size
    if not page:
        raise OAIError(NO_RECORDS_MATCH, "No item matches the request.")

    owned = [(next(s for s in used if s.owns(h.meta.index)), h.to_dict()) for h in page]
    sets = _sets_of(owned)
    answer = element(parent, verb)
    for (source, document), item_sets in zip(owned, sets):
        if verb == "ListIdentifiers":
            _header(answer, source, document, item_sets)
        else:
            _record(answer, source, document, item_sets, prefix)
    _resumption(answer, verb, list_args, state["cursor"], len(page),
                response.hits.total.value, after=list(page[-1].meta.sort), more=more)


def _sets_of(owned):
    """The sets of each item, asked once per source for the whole page."""
    result = [None] * len(owned)
    for source in {id(s): s for s, _d in owned}.values():
        positions = [i for i, (s, _d) in enumerate(owned) if s is source]
        for position, found in zip(positions,
                                   source.sets([owned[i][1] for i in positions])):
            result[position] = found
    return result


def _resumption(answer, verb, args, cursor, count, total, after, more):
    """The resumption token of a page; empty on the last page of a list of pages."""
    if cursor == 0 and not more:
        return
    attributes = {"cursor": str(cursor), "completeListSize": str(max(total, cursor + count))}
    if more:
        attributes["expirationDate"] = tokens.expiration_date().strftime("%Y-%m-%dT%H:%M:%SZ")
        text = tokens.issue(verb, args, cursor + count, after)
    else:
        text = None
    element(answer, "resumptionToken", text, **attributes)


VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
