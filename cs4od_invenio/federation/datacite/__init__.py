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

from .. import safexml
from .dates import add_dates
from .funding import add_funding
from .identifiers import (
    add_alternate_identifiers,
    read_identifier,
    read_related_identifiers,
)
from .locations import add_locations
from .people import read_people
from .resource_types import read_resource_type
from .rights import add_rights
from .source import MappedRecord, Source
from .texts import (
    add_descriptions,
    add_languages,
    add_publisher_and_plain_fields,
    add_subjects,
    add_titles,
)

KERNEL_NAMESPACES = (
    "http://datacite.org/schema/kernel-3",
    "http://datacite.org/schema/kernel-4",
)

REQUIRED = ("resource_type", "creators", "title", "publication_date")


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
    src = Source(root)
    metadata = {}
    record = {"metadata": metadata, "access": {"record": "public", "files": "public"}}

    provenance = {"oai_identifier": oai_identifier, "datestamp": datestamp}
    related = read_identifier(src, provenance)
    add_alternate_identifiers(src, metadata, provenance)

    metadata["resource_type"] = read_resource_type(src)
    metadata["creators"] = read_people(src, "creators/creator", "creatorName")
    contributors = read_people(src, "contributors/contributor", "contributorName")
    if contributors:
        metadata["contributors"] = contributors
    add_titles(src, metadata)
    add_publisher_and_plain_fields(src, metadata)
    add_dates(src, metadata)
    add_subjects(src, metadata)
    add_languages(src, metadata)
    metadata["related_identifiers"] = related + read_related_identifiers(src)
    add_rights(src, metadata, record["access"])
    add_descriptions(src, metadata)
    add_funding(src, metadata)
    add_locations(src, metadata)
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
