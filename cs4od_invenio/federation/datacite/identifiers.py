"""The resource's own identifier, its alternate identifiers and related identifiers."""

import idutils

from .. import vocabularies
from .resource_types import resource_type_id

IDENTIFIER_SCHEMES = {
    "ark": "ark",
    "arxiv": "arxiv",
    "bibcode": "ads",
    "cstr": "cstr",
    "doi": "doi",
    "ean13": "ean13",
    "eissn": "eissn",
    "handle": "handle",
    "igsn": "igsn",
    "isbn": "isbn",
    "issn": "issn",
    "istc": "istc",
    "lissn": "lissn",
    "lsid": "lsid",
    "pmid": "pmid",
    "purl": "purl",
    "rrid": "rrid",
    "upc": "upc",
    "url": "url",
    "urn": "urn",
    "w3id": "w3id",
}


_VALIDATORS = {
    "ark": idutils.is_ark,
    "arxiv": idutils.is_arxiv,
    "ads": idutils.is_ads,
    "doi": idutils.is_doi,
    "ean13": idutils.is_ean13,
    "eissn": idutils.is_issn,
    "handle": idutils.is_handle,
    "isbn": idutils.is_isbn,
    "issn": idutils.is_issn,
    "istc": idutils.is_istc,
    "lissn": idutils.is_issn,
    "lsid": idutils.is_lsid,
    "pmid": idutils.is_pmid,
    "purl": idutils.is_purl,
    "url": idutils.is_url,
    "urn": idutils.is_urn,
}


def _scheme_value(src, element, type_attr):
    """(RDM scheme, identifier) of an identifier element, or None after reporting it."""
    value = src.text(element)
    kind = src.attr(element, type_attr)
    if not value:
        return None
    scheme = IDENTIFIER_SCHEMES.get((kind or "").lower())
    if scheme is None:
        src.unmapped(element, f"identifier type {kind!r} is not an RDM scheme")
        return None
    if scheme == "doi":
        value = idutils.normalize_doi(value) if idutils.is_doi(value) else value
    check = _VALIDATORS.get(scheme)
    if check and not check(value):
        src.unmapped(element, f"not a valid {scheme} identifier")
        return None
    return scheme, value


def read_identifier(src, provenance):
    """The resource's own identifier as an ``isidenticalto`` related identifier."""
    element = src.first(src.root, "identifier")
    if element is None:
        return []
    found = _scheme_value(src, element, "identifierType")
    if found is None:
        return []
    scheme, value = found
    if scheme == "doi":
        provenance["doi"] = value
    return [
        {
            "identifier": value,
            "scheme": scheme,
            "relation_type": {"id": "isidenticalto"},
        }
    ]


def add_alternate_identifiers(src, metadata, provenance):
    """Alternate identifiers; the ``oai`` one is checked against the OAI header's."""
    identifiers = []
    for element in src.all(src.root, "alternateIdentifiers/alternateIdentifier"):
        kind = (element.get("alternateIdentifierType") or "").strip().lower()
        if kind == "oai":
            value = src.text(element)
            src.attr(element, "alternateIdentifierType")
            if provenance["oai_identifier"] is None:
                provenance["oai_identifier"] = value
            elif value != provenance["oai_identifier"]:
                src.unmapped(element, "differs from the OAI header identifier")
            continue
        found = _scheme_value(src, element, "alternateIdentifierType")
        if found:
            entry = {"identifier": found[1], "scheme": found[0]}
            if entry not in identifiers:
                identifiers.append(entry)
    if identifiers:
        metadata["identifiers"] = identifiers


def read_related_identifiers(src):
    """Related identifiers whose relation and scheme RDM knows."""
    related = []
    relations = vocabularies.relation_types()
    for element in src.all(src.root, "relatedIdentifiers/relatedIdentifier"):
        relation = src.attr(element, "relationType") or ""
        relation_id = relations.get(relation.lower())
        if relation_id is None:
            src.unmapped(element, f"relation type {relation!r} not in RDM's vocabulary")
            continue
        found = _scheme_value(src, element, "relatedIdentifierType")
        if found is None:
            continue
        entry = {
            "identifier": found[1],
            "scheme": found[0],
            "relation_type": {"id": relation_id},
        }
        general = element.get("resourceTypeGeneral")
        if general:
            type_id = resource_type_id(general)
            if type_id:
                src.attr(element, "resourceTypeGeneral")
                entry["resource_type"] = {"id": type_id}
            else:
                src.unmapped(
                    element,
                    "resource type not in RDM's vocabulary",
                    "resourceTypeGeneral",
                )
        related.append(entry)
    return related
