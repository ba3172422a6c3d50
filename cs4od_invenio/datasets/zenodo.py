"""Zenodo records as CS4OD sees them: references, access, files and RDM metadata.

Plain functions over the JSON of Zenodo's REST API (``GET /api/records/<id>``), testable
without an application. Zenodo has served two shapes of that JSON and both are read
here: the *legacy* one (``metadata.access_right``, ``metadata.creators[].name``, a list
of files with ``links.self``; the default answer of the API until Zenodo moved to
InvenioRDM, and still its default serialisation) and the *InvenioRDM* one
(``access.record``/``access.files``, ``creators[].person_or_org``, ``files.entries``).
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DOI_PREFIX = "10.5281/zenodo."

_REFERENCE_PATTERNS = [
    # 10.5281/zenodo.123, doi:10.5281/zenodo.123, https://doi.org/10.5281/zenodo.123
    re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?10\.5281/zenodo\.(\d+)/?$", re.I),
    # Zenodo's ids are numbers; other InvenioRDM sites use ids like "abcde-12345".
    re.compile(r"^(\d+|[a-z0-9]{5}-[a-z0-9]{5})$"),
]
# https://zenodo.org/records/123, /record/123, /api/records/123, /doi/10.5281/zenodo.123
_URL_PATTERNS = [
    re.compile(r"^https?://([^/]+)/(?:api/)?records?/(\d+|[a-z0-9]{5}-[a-z0-9]{5})"
               r"(?:[/?#].*)?$", re.I),
    re.compile(r"^https?://([^/]+)/doi/10\.5281/zenodo\.(\d+)/?$", re.I),
]
ZENODO_HOSTS = ("zenodo.org", "www.zenodo.org", "sandbox.zenodo.org")


class ZenodoImportError(Exception):
    """A Zenodo record cannot be imported; the message says why, for the user."""


def parse_reference(text, hosts=ZENODO_HOSTS):
    """The Zenodo record id in a DOI, a record URL (on one of ``hosts``) or a bare id.

    Raises ``ZenodoImportError`` for anything else (a DOI of another registrant, a
    search URL, a record of another site, ...).
    """
    value = (text or "").strip()
    if not value:
        raise ZenodoImportError("Give a Zenodo DOI, record URL or record id.")
    for pattern in _REFERENCE_PATTERNS:
        match = pattern.match(value)
        if match:
            return match.group(1)
    for pattern in _URL_PATTERNS:
        match = pattern.match(value)
        if match and match.group(1).lower() in hosts:
            return match.group(2)
    raise ZenodoImportError(
        f"“{value}” is not a Zenodo DOI (10.5281/zenodo.N), record URL "
        "(https://zenodo.org/records/N) or record id."
    )


@dataclass
class ZenodoFile:
    """One file of a Zenodo record, as listed by Zenodo."""

    key: str
    size: int
    checksum: str  # "md5:<hex>"
    url: str


@dataclass
class ZenodoRecord:
    """The parts of a Zenodo record an import needs."""

    id: str
    doi: str
    title: str
    legacy: bool
    files: list = field(default_factory=list)
    files_enabled: bool = True
    data: dict = field(default_factory=dict)


def _access_problem(data, record_id):
    """Why the record's files may not be copied, or None when they are open."""
    metadata = data.get("metadata") or {}
    access = data.get("access")
    if isinstance(access, dict):  # InvenioRDM shape
        embargo = access.get("embargo") or {}
        if embargo.get("active"):
            until = embargo.get("until")
            when = f" until {until}" if until else ""
            return f"Zenodo record {record_id} is under embargo{when}; its files cannot be imported yet."
        if access.get("record") != "public" or access.get("files") != "public":
            return (f"Zenodo record {record_id} has restricted files; only open "
                    "records can be imported.")
        return None
    right = metadata.get("access_right")
    if right == "embargoed":
        until = metadata.get("embargo_date")
        when = f" until {until}" if until else ""
        return f"Zenodo record {record_id} is under embargo{when}; its files cannot be imported yet."
    if right in ("restricted", "closed"):
        return (f"Zenodo record {record_id} has {right} files; only open records can "
                "be imported.")
    return None


def _files(data):
    """The file list in either shape: ``[ZenodoFile]`` and whether files are enabled."""
    files = data.get("files")
    if isinstance(files, dict):  # InvenioRDM: {"enabled":, "entries": {key: {...}}}
        entries = files.get("entries") or {}
        entries = list(entries.values()) if isinstance(entries, dict) else list(entries)
        enabled = files.get("enabled", True)
    else:
        entries, enabled = list(files or []), True
    result = []
    for entry in entries:
        key = entry.get("key") or entry.get("filename")
        links = entry.get("links") or {}
        url = links.get("content") or links.get("self") or links.get("download")
        checksum = entry.get("checksum") or ""
        if checksum and ":" not in checksum:
            checksum = f"md5:{checksum}"  # the legacy search answer gives bare md5
        size = entry.get("size", entry.get("filesize"))
        if not key or not url or size is None:
            raise ZenodoImportError(
                "Zenodo listed a file without a name, size or download link; "
                "the record cannot be copied faithfully."
            )
        result.append(ZenodoFile(key=key, size=int(size), checksum=checksum, url=url))
    return result, bool(enabled)


def read_record(data, record_id):
    """Check a record's JSON and return a ``ZenodoRecord``.

    Raises ``ZenodoImportError`` when the record may not or cannot be copied (restricted,
    embargoed, unknown checksum algorithm).
    """
    if not isinstance(data, dict) or "metadata" not in data:
        raise ZenodoImportError(
            f"Zenodo's answer for record {record_id} is not a record.")
    problem = _access_problem(data, record_id)
    if problem:
        raise ZenodoImportError(problem)
    metadata = data["metadata"]
    legacy = isinstance(metadata.get("creators"), list) and not any(
        "person_or_org" in c for c in metadata["creators"]
    )
    files, enabled = _files(data)
    for entry in files:
        if not entry.checksum.startswith("md5:"):
            raise ZenodoImportError(
                f"Zenodo gives no MD5 checksum for {entry.key}; it cannot be verified.")
    pids = data.get("pids") or {}
    doi = (pids.get("doi") or {}).get("identifier") or data.get("doi") or metadata.get(
        "doi") or f"{DOI_PREFIX}{record_id}"
    return ZenodoRecord(
        id=str(data.get("id") or record_id),
        doi=doi,
        title=metadata.get("title") or "",
        legacy=legacy,
        files=files,
        files_enabled=enabled and bool(files),
        data=data,
    )


def same_origin(url, base_url):
    """Whether ``url`` is on the host (scheme, host, port) of ``base_url``."""
    a, b = urlsplit(url), urlsplit(base_url)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


# --- metadata -------------------------------------------------------------------------

@dataclass
class Vocabularies:
    """The ids this instance knows; metadata pointing elsewhere is kept as text or noted."""

    resource_types: set = field(default_factory=set)
    licenses: set = field(default_factory=set)
    relation_types: set = field(default_factory=set)


def _person_from_legacy(creator):
    """An RDM creator from a legacy Zenodo creator (``name``, ``affiliation``, ``orcid``).

    Zenodo's legacy creators do not say whether they are persons. ``Family, Given`` and
    creators with an ORCID are persons; any other name is kept whole as an
    organisational name, so that it displays exactly as on Zenodo.
    """
    name = (creator.get("name") or "").strip()
    identifiers = []
    if creator.get("orcid"):
        identifiers.append({"scheme": "orcid", "identifier": creator["orcid"]})
    if creator.get("gnd"):
        identifiers.append({"scheme": "gnd", "identifier": creator["gnd"]})
    if "," in name or creator.get("orcid"):
        family, _, given = name.partition(",")
        person = {"type": "personal", "family_name": family.strip(),
                  "given_name": given.strip()}
    else:
        person = {"type": "organizational", "name": name}
    if identifiers:
        person["identifiers"] = identifiers
    result = {"person_or_org": person}
    if creator.get("affiliation"):
        result["affiliations"] = [{"name": creator["affiliation"]}]
    return result


def _person_from_rdm(creator):
    """An RDM creator from another InvenioRDM's creator, without that site's vocabulary ids."""
    source = creator.get("person_or_org") or {}
    person = {"type": source.get("type") or "personal"}
    if person["type"] == "organizational":
        person["name"] = source.get("name") or ""
    else:
        person["family_name"] = source.get("family_name") or source.get("name") or ""
        person["given_name"] = source.get("given_name") or ""
    identifiers = [
        {"scheme": i["scheme"], "identifier": i["identifier"]}
        for i in source.get("identifiers") or []
        if i.get("scheme") in ("orcid", "gnd", "isni", "ror") and i.get("identifier")
    ]
    if identifiers:
        person["identifiers"] = identifiers
    result = {"person_or_org": person}
    affiliations = [{"name": a["name"]} for a in creator.get("affiliations") or []
                    if a.get("name")]
    if affiliations:
        result["affiliations"] = affiliations
    return result


_LEGACY_RESOURCE_TYPES = {"publication": "publication", "image": "image"}


def _resource_type(metadata, known, notes):
    """An RDM resource type id for the record, from this instance's vocabulary."""
    source = metadata.get("resource_type") or {}
    candidates = []
    if source.get("id"):
        candidates.append(source["id"])
    if source.get("type"):
        if source.get("subtype"):
            candidates.append(f"{source['type']}-{source['subtype']}")
        candidates.append(source["type"])
    for candidate in candidates:
        if candidate in known:
            return candidate
    fallback = "dataset" if "dataset" in known or not known else sorted(known)[0]
    if candidates:
        notes.append(f"resource type {candidates[0]} is not known here; imported as "
                     f"{fallback}")
    return fallback


def _rights(metadata, known, notes):
    """Licences: this instance's entry when it has one, else the licence's name and link."""
    result = []
    sources = metadata.get("rights")
    if sources is None and metadata.get("license"):
        license_ = metadata["license"]
        sources = [license_ if isinstance(license_, dict) else {"id": license_}]
    for entry in sources or []:
        id_ = (entry.get("id") or "").lower()
        if id_ and id_ in known:
            result.append({"id": id_})
            continue
        title = entry.get("title")
        title = title.get("en") if isinstance(title, dict) else title
        text = {"title": {"en": title or entry.get("id") or "Licence"}}
        link = (entry.get("props") or {}).get("url") or entry.get("link") or entry.get(
            "url")
        if link:
            text["link"] = link
        result.append(text)
    return result


def _related_identifiers(metadata, known, notes):
    """Related identifiers whose relation type this instance knows; the others noted."""
    result = []
    for entry in metadata.get("related_identifiers") or []:
        relation = entry.get("relation_type") or entry.get("relation") or ""
        relation = (relation.get("id") if isinstance(relation, dict) else relation).lower()
        identifier, scheme = entry.get("identifier"), entry.get("scheme")
        if not identifier or not scheme:
            continue
        if relation not in known:
            notes.append(f"related identifier {identifier} ({relation or 'no relation'})"
                         " not kept: relation type unknown here")
            continue
        result.append({"identifier": identifier, "scheme": scheme.lower(),
                       "relation_type": {"id": relation}})
    return result


def to_rdm(record, vocabularies, publisher_default="Zenodo"):
    """The RDM record input for a copy of ``record`` (a ``ZenodoRecord``) and notes.

    Returns ``(payload, notes)``: notes name what could not be carried over (fields
    without an equivalent here), so nothing is dropped silently. The copy gets no DOI of
    its own; its provenance is a related identifier "is identical to" the Zenodo DOI.
    """
    metadata = record.data.get("metadata") or {}
    notes = []
    if record.legacy:
        creators = [_person_from_legacy(c) for c in metadata.get("creators") or []]
        subjects = [{"subject": k} for k in metadata.get("keywords") or [] if k]
    else:
        creators = [_person_from_rdm(c) for c in metadata.get("creators") or []]
        subjects = [{"subject": s["subject"]} for s in metadata.get("subjects") or []
                    if s.get("subject")]
    related = _related_identifiers(metadata, vocabularies.relation_types, notes)
    if "isidenticalto" in vocabularies.relation_types or not vocabularies.relation_types:
        related.insert(0, {"identifier": record.doi, "scheme": "doi",
                           "relation_type": {"id": "isidenticalto"}})
    else:
        notes.append("relation type isidenticalto is not known here: the link to the "
                     "Zenodo DOI could not be recorded")
    description = metadata.get("description") or ""
    result = {
        "resource_type": {"id": _resource_type(metadata, vocabularies.resource_types,
                                               notes)},
        "title": record.title,
        "description": description,
        "creators": creators,
        "publication_date": metadata.get("publication_date"),
        "publisher": metadata.get("publisher") or publisher_default,
        "related_identifiers": related,
    }
    if subjects:
        result["subjects"] = subjects
    rights = _rights(metadata, vocabularies.licenses, notes)
    if rights:
        result["rights"] = rights
    if metadata.get("version"):
        result["version"] = str(metadata["version"])
    for name in ("notes", "language", "languages", "contributors", "funding", "grants",
                 "dates", "references", "additional_descriptions", "additional_titles",
                 "locations", "method", "communities"):
        if metadata.get(name):
            notes.append(f"{name} not imported")
    payload = {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": record.files_enabled},
        "metadata": {k: v for k, v in result.items() if v not in (None, "", [])},
    }
    return payload, notes
