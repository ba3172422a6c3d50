"""DataCite XML (kernel-3 and kernel-4) to InvenioRDM v14 record input, as a pure function.

``datacite_to_rdm(resource)`` reads one ``<resource>`` (bare, or inside the
``oai_datacite`` wrapper or an OAI-PMH ``<metadata>`` element) and returns a
``MappedRecord``: the record input that ``RDMRecordSchema`` loads, a report of every
element text and attribute that found no place in it, and a small provenance dict.

Decisions worth knowing:

* Provenance. The harvested record's ``<identifier>`` (on Zenodo the record's DOI, or the
  publisher's DOI for articles Zenodo holds a copy of) becomes a related identifier with
  relation ``isidenticalto``: DataCite defines it for two registered instances of the same
  resource, which is what a harvested copy is. The DOI is *not* put in ``pids``: an
  external DOI pid would make CS4OD claim another repository's identifier as its own and
  would collide when the record is harvested again; CS4OD's PID policy stays with the
  writer. The OAI identifier and datestamp go into ``provenance`` (with the DOI), for the
  writer to store; the ``oai`` alternate identifier is checked against the header's.
* Resource types are looked up in RDM's own vocabulary table (``datacite_general`` /
  ``datacite_type`` props). Zenodo runs InvenioRDM with that vocabulary, so its DataCite
  output inverts exactly; kernel-3 pages (``Text`` + ``Poster``) use the free text as a
  general type when it is one.
* Licences become ``{"id": ...}`` when ``rightsIdentifier`` or the URL is in RDM's licence
  list, else ``{"title": {"en": ...}, "link": ...}``. ``info:eu-repo/semantics/*`` rights
  are access rights: they set ``access.files``.
* Harvested records carry no files: ``files.enabled`` is false.
* Affiliation and funder identifiers (ROR, ...) would need CS4OD's affiliation and funder
  vocabularies to hold them; names are kept and the identifiers reported.
"""

import html
import re
from dataclasses import dataclass
from typing import NamedTuple

import idutils
from edtf import Date, Interval
from lxml import etree
from marshmallow import ValidationError
from marshmallow_utils.fields.edtfdatestring import EDTFValidator

from . import safexml, vocabularies

KERNEL_NAMESPACES = (
    "http://datacite.org/schema/kernel-3",
    "http://datacite.org/schema/kernel-4",
)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSI_SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
EU_REPO_ACCESS = "info:eu-repo/semantics/"

# DataCite relatedIdentifierType / alternateIdentifierType to RDM identifier scheme.
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

# Identifier checks RDM's schema applies (config RDM_RECORDS_IDENTIFIERS_SCHEMES); schemes
# not listed are accepted as they are.
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

PERSON_SCHEMES = {
    "orcid": (idutils.is_orcid, idutils.normalize_orcid),
    "isni": (idutils.is_isni, str.strip),
    "gnd": (idutils.is_gnd, idutils.normalize_gnd),
    "ror": (idutils.is_ror, idutils.normalize_ror),
}

ACCESS_RIGHTS = {
    "openaccess": "public",
    "embargoedaccess": "restricted",
    "restrictedaccess": "restricted",
    "closedaccess": "restricted",
}

REQUIRED = ("resource_type", "creators", "title", "publication_date")

_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_publication_date = EDTFValidator(types=[Date, Interval])


@dataclass(frozen=True)
class Unmapped:
    """A text or attribute of the source that has no place in the RDM record."""

    path: str
    value: str
    reason: str


class MappedRecord(NamedTuple):
    """The outcome of mapping one DataCite resource."""

    record: dict
    report: list
    provenance: dict


class _Source:
    """One DataCite resource being read; remembers which texts and attributes were used."""

    def __init__(self, resource):
        self.root = resource
        self.ns = etree.QName(resource).namespace
        self._used = set()
        self.report = []

    def all(self, parent, path):
        """Elements at a slash-separated path of local names below ``parent``."""
        if parent is None:
            return []
        return parent.findall("/".join(f"{{{self.ns}}}{step}" for step in path.split("/")))

    def first(self, parent, path):
        """The first element at ``path`` below ``parent``, or None."""
        found = self.all(parent, path)
        return found[0] if found else None

    def text(self, element):
        """The whitespace-trimmed text of an element (None if blank); marks it used."""
        if element is None:
            return None
        self._used.add((element, None))
        value = (element.text or "").strip()
        return value or None

    def attr(self, element, name):
        """An attribute's trimmed value (None if absent or blank); marks it used."""
        if element is None:
            return None
        self._used.add((element, name))
        value = (element.get(name) or "").strip()
        return value or None

    def unmapped(self, element, reason, name=None, value=None):
        """Report a text (or attribute ``name``) as not mapped, for a stated reason."""
        if name is None:
            self._used.add((element, None))
            shown = (element.text or "").strip() if value is None else value
            self.report.append(Unmapped(self.path(element), shown, reason))
        else:
            self._used.add((element, name))
            shown = element.get(name) if value is None else value
            self.report.append(
                Unmapped(f"{self.path(element)}/@{_attr_label(name)}", shown, reason)
            )

    def path(self, element):
        """A readable path such as ``resource/creators/creator[2]/affiliation``."""
        steps = []
        while element is not None:
            name = etree.QName(element).localname
            parent = element.getparent()
            if parent is not None and element is not self.root:
                same = [c for c in parent if c.tag == element.tag]
                if len(same) > 1:
                    name = f"{name}[{same.index(element) + 1}]"
            steps.append(name)
            if element is self.root:
                break
            element = parent
        return "/".join(reversed(steps))

    def leftovers(self):
        """Report every non-blank text and every attribute that nothing used."""
        for element in self.root.iter():
            if not isinstance(element.tag, str):
                continue
            if (element.text or "").strip() and (element, None) not in self._used:
                self.report.append(
                    Unmapped(self.path(element), element.text.strip(), "no RDM field")
                )
            for name, value in element.attrib.items():
                if name == XSI_SCHEMA_LOCATION or (element, name) in self._used:
                    continue
                self.report.append(
                    Unmapped(
                        f"{self.path(element)}/@{_attr_label(name)}", value, "no RDM field"
                    )
                )


def _attr_label(name):
    return "xml:lang" if name == XML_LANG else etree.QName(name).localname


def find_resource(element):
    """The DataCite ``<resource>`` at or below ``element`` (kernel-3 or kernel-4)."""
    if isinstance(element, (bytes, str)):
        element = safexml.parse(element)
    for namespace in KERNEL_NAMESPACES:
        tag = f"{{{namespace}}}resource"
        if element.tag == tag:
            return element
        found = element.find(f".//{tag}")
        if found is not None:
            return found
    return None


def datacite_to_rdm(resource, *, oai_identifier=None, datestamp=None):
    """Map one DataCite resource to RDM record input, an unmapped report and provenance."""
    root = find_resource(resource)
    if root is None:
        tag = getattr(resource, "tag", type(resource).__name__)
        raise ValueError(f"no DataCite kernel-3/4 resource in {tag}")
    src = _Source(root)
    metadata = {}
    record = {"metadata": metadata, "access": {"record": "public", "files": "public"}}

    provenance = {"oai_identifier": oai_identifier, "datestamp": datestamp}
    related = _identifier(src, metadata, provenance)
    _alternate_identifiers(src, metadata, provenance)

    metadata["resource_type"] = _resource_type(src)
    metadata["creators"] = _people(src, "creators/creator", "creatorName")
    contributors = _people(src, "contributors/contributor", "contributorName")
    if contributors:
        metadata["contributors"] = contributors
    _titles(src, metadata)
    _publisher_and_plain_fields(src, metadata)
    _dates(src, metadata)
    _subjects(src, metadata)
    _languages(src, metadata)
    metadata["related_identifiers"] = related + _related_identifiers(src)
    _rights(src, metadata, record["access"])
    _descriptions(src, metadata)
    _funding(src, metadata)
    _locations(src, metadata)
    src.leftovers()

    record["files"] = {"enabled": False}
    return MappedRecord(_without_empty(record), src.report, provenance)


def missing_required(record):
    """The RDM metadata fields a service would require that the mapped record lacks."""
    metadata = record.get("metadata", {})
    return [name for name in REQUIRED if not metadata.get(name)]


def _without_empty(record):
    metadata = record["metadata"]
    for key in [k for k, v in metadata.items() if v in (None, [], {}, "")]:
        del metadata[key]
    return record


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


def _identifier(src, metadata, provenance):
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


def _alternate_identifiers(src, metadata, provenance):
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


def resource_type_id(general, subtype=None):
    """The RDM resource type id for a DataCite general type and free-text type, or None."""
    table = vocabularies.resource_types()
    general = (general or "").strip().lower()
    subtype = (subtype or "").strip().lower()
    for key in ((general, subtype), (subtype, ""), (general, "")):
        if key[0] and key in table:
            return table[key]
    return None


def _resource_type(src):
    element = src.first(src.root, "resourceType")
    general = src.attr(element, "resourceTypeGeneral")
    subtype = src.text(element)
    table = vocabularies.resource_types()
    id_ = resource_type_id(general, subtype)
    if id_ is None:
        if element is not None:
            src.unmapped(
                element, "resource type not in RDM's vocabulary", "resourceTypeGeneral"
            )
        return {"id": "other"}
    exact = (general or "").lower(), (subtype or "").lower()
    if subtype and exact not in table and (exact[1], "") not in table:
        src.unmapped(element, f"free-text type has no RDM subtype; mapped to {id_!r}")
    return {"id": id_}


def _split_name(name):
    if "," in name:
        family, given = name.split(",", 1)
        return family.strip(), given.strip() or None
    return name, None


def _people(src, path, name_tag):
    people = []
    for element in src.all(src.root, path):
        name_element = src.first(element, name_tag)
        name = src.text(name_element)
        name_type = (src.attr(name_element, "nameType") or "").lower()
        given = src.text(src.first(element, "givenName"))
        family = src.text(src.first(element, "familyName"))
        if name_type == "organizational":
            person = {"type": "organizational", "name": name or family}
            if not person["name"]:
                src.unmapped(element, "organisation without a name", value="")
                continue
        else:
            if not family and name:
                family, split_given = _split_name(name)
                given = given or split_given
            if not family:
                src.unmapped(element, "person without a name", value="")
                continue
            person = {"type": "personal", "family_name": family}
            if given:
                person["given_name"] = given
        identifiers = _person_identifiers(src, element)
        if identifiers:
            person["identifiers"] = identifiers
        entry = {"person_or_org": person}
        affiliations = _affiliations(src, element)
        if affiliations:
            entry["affiliations"] = affiliations
        if name_tag == "contributorName":
            entry["role"] = _role(src, element)
        people.append(entry)
    return people


def _person_identifiers(src, element):
    identifiers, schemes = [], set()
    for id_element in src.all(element, "nameIdentifier"):
        value = src.text(id_element)
        scheme_name = src.attr(id_element, "nameIdentifierScheme") or ""
        scheme = scheme_name.lower()
        if not value:
            continue
        if scheme not in PERSON_SCHEMES:
            src.unmapped(id_element, f"scheme {scheme_name!r} is not accepted for people")
            continue
        check, normalise = PERSON_SCHEMES[scheme]
        if not check(value):
            src.unmapped(id_element, f"not a valid {scheme_name}")
            continue
        if scheme in schemes:
            src.unmapped(id_element, f"RDM keeps one {scheme_name} per person")
            continue
        # schemeURI only repeats the scheme's resolver, which RDM knows itself.
        src.attr(id_element, "schemeURI")
        schemes.add(scheme)
        identifiers.append({"scheme": scheme, "identifier": normalise(value)})
    return identifiers


def _affiliations(src, element):
    affiliations = []
    for aff in src.all(element, "affiliation"):
        name = src.text(aff)
        if aff.get("affiliationIdentifier"):
            src.unmapped(aff, "needs CS4OD's affiliations vocabulary; name kept",
                         "affiliationIdentifier")
            # Scheme and scheme URI only qualify the identifier reported above.
            src.attr(aff, "affiliationIdentifierScheme")
            src.attr(aff, "schemeURI")
        if name and {"name": name} not in affiliations:
            affiliations.append({"name": name})
    return affiliations


def _role(src, element):
    kind = src.attr(element, "contributorType")
    role = vocabularies.roles().get((kind or "").lower())
    if role is None:
        src.unmapped(element, "contributor type not in RDM's roles; role 'other'",
                     "contributorType", kind or "")
        role = "other"
    return {"id": role}


def _language_id(code):
    ids, alpha2 = vocabularies.languages()
    code = (code or "").strip().lower()
    primary = code.split("-")[0].split("_")[0]
    if primary in ids:
        return primary
    return alpha2.get(primary)


def _lang(src, element):
    code = element.get(XML_LANG)
    if not code:
        return None
    id_ = _language_id(code)
    if id_ is None:
        src.unmapped(element, "language not in RDM's vocabulary", XML_LANG, code)
        return None
    src.attr(element, XML_LANG)
    return {"id": id_}


def _titles(src, metadata):
    additional = []
    for element in src.all(src.root, "titles/title"):
        value = src.text(element)
        kind = src.attr(element, "titleType")
        if not value:
            continue
        if not kind and "title" not in metadata:
            metadata["title"] = value
            if element.get(XML_LANG):
                src.unmapped(element, "RDM's main title has no language", XML_LANG,
                             element.get(XML_LANG))
            continue
        type_id = vocabularies.title_types().get((kind or "other").lower())
        if type_id is None:
            src.unmapped(element, f"title type {kind!r} not in RDM's vocabulary; 'other'",
                         "titleType", kind)
            type_id = "other"
        entry = {"title": value, "type": {"id": type_id}}
        lang = _lang(src, element)
        if lang:
            entry["lang"] = lang
        additional.append(entry)
    if additional:
        metadata["additional_titles"] = additional


def _publisher_and_plain_fields(src, metadata):
    metadata["publisher"] = src.text(src.first(src.root, "publisher"))
    metadata["version"] = src.text(src.first(src.root, "version"))
    metadata["sizes"] = [
        v for v in (src.text(e) for e in src.all(src.root, "sizes/size")) if v
    ]
    metadata["formats"] = [
        v for v in (src.text(e) for e in src.all(src.root, "formats/format")) if v
    ]


def _valid_date(value):
    try:
        _publication_date(value)
        return True
    except (ValidationError, TypeError, ValueError):
        return False


def _dates(src, metadata):
    dates = []
    for element in src.all(src.root, "dates/date"):
        value = src.text(element)
        kind = src.attr(element, "dateType") or ""
        if not value:
            continue
        if not _valid_date(value) and "T" in value and _valid_date(value.split("T")[0]):
            src.report.append(
                Unmapped(src.path(element), value, "time of day dropped (RDM keeps dates)")
            )
            value = value.split("T")[0]
        if not _valid_date(value):
            src.unmapped(element, "not an EDTF date or interval")
            continue
        if kind.lower() == "issued" and "publication_date" not in metadata:
            metadata["publication_date"] = value
            continue
        type_id = vocabularies.date_types().get(kind.lower())
        if type_id is None:
            src.unmapped(element, f"date type {kind!r} not in RDM's vocabulary")
            continue
        entry = {"date": value, "type": {"id": type_id}}
        information = src.attr(element, "dateInformation")
        if information:
            entry["description"] = information
        dates.append(entry)
    if dates:
        metadata["dates"] = dates
    year_element = src.first(src.root, "publicationYear")
    year = src.text(year_element)
    if "publication_date" not in metadata and year:
        if _valid_date(year):
            metadata["publication_date"] = year
        else:
            src.unmapped(year_element, "not a year")


def _subjects(src, metadata):
    subjects = []
    for element in src.all(src.root, "subjects/subject"):
        value = src.text(element)
        if value and {"subject": value} not in subjects:
            subjects.append({"subject": value})
    if subjects:
        metadata["subjects"] = subjects


def _languages(src, metadata):
    element = src.first(src.root, "language")
    code = src.text(element)
    if not code:
        return
    id_ = _language_id(code)
    if id_ is None:
        src.unmapped(element, "language not in RDM's vocabulary")
    else:
        metadata["languages"] = [{"id": id_}]


def _related_identifiers(src):
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
                src.unmapped(element, "resource type not in RDM's vocabulary",
                             "resourceTypeGeneral")
        related.append(entry)
    return related


def _rights(src, metadata, access):
    rights = []
    ids, by_url = vocabularies.licenses()
    for element in src.all(src.root, "rightsList/rights"):
        uri = src.attr(element, "rightsURI")
        text = src.text(element)
        if uri and uri.lower().startswith(EU_REPO_ACCESS):
            status = ACCESS_RIGHTS.get(uri[len(EU_REPO_ACCESS) :].lower())
            if status is None:
                src.unmapped(element, "unknown access right", "rightsURI")
            else:
                access["files"] = status
                if status != "public":
                    src.unmapped(element, "files of a closed or embargoed source "
                                 "are not harvested; access set to restricted",
                                 "rightsURI")
            continue
        identifier = src.attr(element, "rightsIdentifier")
        id_ = None
        if identifier and identifier.lower() in ids:
            id_ = identifier.lower()
        elif uri:
            id_ = by_url.get(vocabularies.normalise_url(uri))
        if id_:
            src.attr(element, "rightsIdentifierScheme")
            src.attr(element, "schemeURI")
            entry = {"id": id_}
        elif text or uri:
            entry = {"title": {"en": text or uri}}
            if uri and idutils.is_url(uri):
                entry["link"] = uri
            elif uri:
                src.unmapped(element, "not a URL; RDM links licences by URL", "rightsURI")
            if identifier:
                src.unmapped(element, "licence id not in RDM's licences",
                             "rightsIdentifier")
        else:
            continue
        if entry not in rights:
            rights.append(entry)
    if rights:
        metadata["rights"] = rights


def _as_html(text):
    """Plain text as HTML paragraphs; text that already holds HTML tags is left as it is."""
    if _HTML_TAG.search(text):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(
        "<p>{}</p>".format(html.escape(p).replace("\n", "<br>")) for p in paragraphs
    )


def _descriptions(src, metadata):
    additional = []
    for element in src.all(src.root, "descriptions/description"):
        value = src.text(element)
        kind = src.attr(element, "descriptionType") or "Other"
        if not value:
            continue
        if len(value) < 3:
            src.unmapped(element, "RDM needs descriptions of 3 characters or more")
            continue
        if kind.lower() == "abstract" and "description" not in metadata:
            metadata["description"] = _as_html(value)
            if element.get(XML_LANG):
                src.unmapped(element, "RDM's main description has no language",
                             XML_LANG, element.get(XML_LANG))
            continue
        type_id = vocabularies.description_types().get(kind.lower())
        if type_id is None:
            src.unmapped(element, f"description type {kind!r} not in RDM's vocabulary; "
                         "'other'", "descriptionType", kind)
            type_id = "other"
        entry = {"description": _as_html(value), "type": {"id": type_id}}
        lang = _lang(src, element)
        if lang:
            entry["lang"] = lang
        additional.append(entry)
    if additional:
        metadata["additional_descriptions"] = additional


def _funding(src, metadata):
    funding = []
    for element in src.all(src.root, "fundingReferences/fundingReference"):
        name = src.text(src.first(element, "funderName"))
        if not name:
            src.unmapped(element, "funding without a funder name", value="")
            continue
        entry = {"funder": {"name": name}}
        funder_id = src.first(element, "funderIdentifier")
        if funder_id is not None and (funder_id.text or "").strip():
            src.unmapped(funder_id, "needs CS4OD's funders vocabulary; name kept")
            # Type and scheme URI only qualify the identifier reported above.
            src.attr(funder_id, "funderIdentifierType")
            src.attr(funder_id, "schemeURI")
        award = {}
        number_element = src.first(element, "awardNumber")
        number = src.text(number_element)
        if number:
            award["number"] = number
        uri = src.attr(number_element, "awardURI")
        if uri and idutils.is_url(uri):
            award["identifiers"] = [{"scheme": "url", "identifier": uri}]
        elif uri:
            src.unmapped(number_element, "not a URL", "awardURI")
        title = src.text(src.first(element, "awardTitle"))
        if title:
            award["title"] = {"en": title}
        if number or title:
            entry["award"] = award
        funding.append(entry)
    if funding:
        metadata["funding"] = funding


def _locations(src, metadata):
    features = []
    for element in src.all(src.root, "geoLocations/geoLocation"):
        feature = {}
        place = src.text(src.first(element, "geoLocationPlace"))
        if place:
            feature["place"] = place
        point = src.first(element, "geoLocationPoint")
        if point is not None:
            try:
                lon = float(src.text(src.first(point, "pointLongitude")))
                lat = float(src.text(src.first(point, "pointLatitude")))
                feature["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
            except (TypeError, ValueError):
                src.unmapped(point, "point without numeric coordinates", value="")
        if feature:
            features.append(feature)
    if features:
        metadata["locations"] = {"features": features}
