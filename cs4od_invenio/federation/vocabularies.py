"""InvenioRDM's own vocabulary tables, read from invenio-rdm-records' fixture files.

The DataCite mapping needs to know which ids exist in RDM's vocabularies (resource types,
licences, languages, relation/date/title/description types, roles) without an app or a
database. The fixture files that populate those vocabularies ship inside
invenio-rdm-records, so reading them keeps the mapping in step with the installed release.
"""

import csv
from functools import lru_cache
from pathlib import Path

import invenio_rdm_records
import yaml

FIXTURES = Path(invenio_rdm_records.__file__).parent / "fixtures" / "data" / "vocabularies"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(name):
    with (FIXTURES / name).open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_Loader)


@lru_cache(maxsize=None)
def datacite_ids(name):
    """The lowercased DataCite value (``props.datacite``) of each vocabulary id, to the id."""
    return {
        entry["props"]["datacite"].lower(): entry["id"]
        for entry in _load_yaml(f"{name}.yaml")
        if entry.get("props", {}).get("datacite")
    }


def relation_types():
    """DataCite relationType (lowercased) to RDM relation type id."""
    return datacite_ids("relation_types")


def date_types():
    """DataCite dateType (lowercased) to RDM date type id."""
    return datacite_ids("date_types")


def title_types():
    """DataCite titleType (lowercased) to RDM title type id."""
    return datacite_ids("title_types")


def description_types():
    """DataCite descriptionType (lowercased) to RDM description type id."""
    return datacite_ids("description_types")


def roles():
    """DataCite contributorType (lowercased) to RDM contributor role id."""
    return datacite_ids("roles")


@lru_cache(maxsize=None)
def resource_types():
    """Resource type ids keyed by (resourceTypeGeneral, resourceType), both lowercased.

    An entry without ``datacite_type`` is keyed with an empty resourceType; it is the
    id for that general type when the free text does not name a subtype.
    """
    table = {}
    for entry in _load_yaml("resource_types.yaml"):
        props = entry.get("props", {})
        general = (props.get("datacite_general") or "").lower()
        if not general:
            continue
        key = (general, (props.get("datacite_type") or "").lower())
        table.setdefault(key, entry["id"])
    return table


def normalise_url(url):
    """A URL reduced to what identifies a licence page (no scheme, www, legalcode, slash)."""
    url = url.strip().lower()
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            url = url[len(prefix) :]
    if url.startswith("www."):
        url = url[4:]
    url = url.rstrip("/")
    for suffix in ("/legalcode", "/deed.en", "/deed"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    return url.rstrip("/")


@lru_cache(maxsize=None)
def licenses():
    """Licence ids and an index of their normalised URLs: ``(ids, {url: id})``."""
    ids, by_url = set(), {}
    with (FIXTURES / "licenses.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            ids.add(row["id"])
            if row.get("props__url"):
                by_url.setdefault(normalise_url(row["props__url"]), row["id"])
    return frozenset(ids), by_url


@lru_cache(maxsize=None)
def languages():
    """Language ids (ISO 639-3) and an index from ISO 639-1 codes: ``(ids, {alpha2: id})``."""
    ids, alpha2 = set(), {}
    for entry in _load_yaml("languages.yaml"):
        ids.add(entry["id"])
        code = entry.get("props", {}).get("alpha_2")
        if code:
            alpha2[code] = entry["id"]
    return frozenset(ids), alpha2
