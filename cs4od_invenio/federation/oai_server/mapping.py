"""A published project as DataCite (kernel 4.5) and Dublin Core, as pure functions.

Both work on the project as the search index holds it (``metadata`` with its SDGs,
domains and linked records dereferenced) and return the dictionaries that the
``datacite`` and ``dcxml`` packages turn into XML, the packages InvenioRDM's own
serializers use. Decisions:

* A project is a ``Collection`` (kernel 4.5 has no ``Project`` type; 4.6 added one but
  every CS4OD answer is kernel 4.5, like InvenioRDM's), with free text ``Project``.
* It has no DOI: the DataCite ``identifier`` is its landing page (``identifierType``
  ``URL``), its OAI identifier an alternate identifier.
* SDGs are subjects with scheme ``SDG`` and values like ``3. Good health and well-being``,
  as OpenAIRE encodes them; domains are subjects of the OECD Fields of Science and
  Technology scheme, written ``FOS: <field>`` as DataCite writes FOS subjects.
* Each linked dataset or notebook is a related identifier ``HasPart``: its DOI if it
  has one, else its landing page.
* A project with no creator gets DataCite's standard value ``:unav`` (DataCite requires
  a creator).
"""

from lxml import html as lxml_html

SDG_SCHEME = "SDG"
SDG_SCHEME_URI = "https://sdgs.un.org/goals"
FOS_SCHEME = "Fields of Science and Technology (FOS)"
FOS_SCHEME_URI = "http://www.oecd.org/science/inno/38235147.pdf"
UNAVAILABLE = ":unav"


def plain_text(markup):
    """The text of an HTML fragment, whitespace collapsed."""
    if not markup or not markup.strip():
        return ""
    return " ".join(lxml_html.fromstring(markup).text_content().split())


def _title(term):
    return (term.get("title") or {}).get("en") or term.get("id", "")


def sdg_subject(sdg):
    """``{"subject": "3. Good health and well-being", "subjectScheme": "SDG", ...}``."""
    props = sdg.get("props") or {}
    number = props.get("number") or sdg.get("id", "").removeprefix("sdg")
    subject = {
        "subject": f"{number}. {_title(sdg)}",
        "subjectScheme": SDG_SCHEME,
        "schemeUri": SDG_SCHEME_URI,
    }
    if props.get("url"):
        subject["valueUri"] = props["url"]
    return subject


def domain_subject(domain):
    """``{"subject": "FOS: Health sciences", "subjectScheme": FOS_SCHEME, ...}``."""
    return {
        "subject": f"FOS: {_title(domain)}",
        "subjectScheme": FOS_SCHEME,
        "schemeUri": FOS_SCHEME_URI,
    }


def _creator(creator):
    person = creator.get("person_or_org") or {}
    personal = person.get("type") == "personal"
    family, given = person.get("family_name"), person.get("given_name")
    name = person.get("name") or ", ".join(p for p in (family, given) if p)
    result = {"name": name or UNAVAILABLE,
              "nameType": "Personal" if personal else "Organizational"}
    if personal and given:
        result["givenName"] = given
    if personal and family:
        result["familyName"] = family
    identifiers = [
        {"nameIdentifier": i["identifier"], "nameIdentifierScheme": "ORCID",
         "schemeUri": "https://orcid.org"}
        for i in person.get("identifiers") or []
        if i.get("scheme") == "orcid" and i.get("identifier")
    ]
    if identifiers:
        result["nameIdentifiers"] = identifiers
    affiliations = [{"name": a["name"]} for a in creator.get("affiliations") or []
                    if a.get("name")]
    if affiliations:
        result["affiliation"] = affiliations
    return result


def linked_records(project):
    """The project's datasets and notebooks, in order, each with its kind."""
    metadata = project.get("metadata") or {}
    for kind in ("datasets", "notebooks"):
        for linked in metadata.get(kind) or []:
            yield kind, linked


def _linked_identifier(linked, record_page):
    doi = ((linked.get("pids") or {}).get("doi") or {}).get("identifier")
    if doi:
        return doi, "DOI"
    return record_page(linked["id"]), "URL"


def project_datacite(project, *, landing_page, record_page, publisher, oai_identifier,
                     type_general=lambda resource_type: None):
    """DataCite 4.5 JSON (as ``datacite.schema45`` reads it) of a published project.

    ``landing_page`` is the project's URL, ``record_page(id)`` the URL of a record of
    this repository, ``type_general(resource_type_id)`` the DataCite general type of
    a linked record's resource type (or None).
    """
    metadata = project.get("metadata") or {}
    created = (project.get("created") or "")[:10]
    updated = (project.get("updated") or "")[:10]

    subjects = [sdg_subject(s) for s in metadata.get("sdgs") or []]
    subjects += [domain_subject(d) for d in metadata.get("domains") or []]
    subjects += [{"subject": tag} for tag in metadata.get("tags") or []]

    related = []
    for kind, linked in linked_records(project):
        identifier, scheme = _linked_identifier(linked, record_page)
        entry = {"relatedIdentifier": identifier, "relatedIdentifierType": scheme,
                 "relationType": "HasPart"}
        general = type_general(
            ((linked.get("metadata") or {}).get("resource_type") or {}).get("id"))
        if general:
            entry["resourceTypeGeneral"] = general
        related.append(entry)

    data = {
        "url": landing_page,
        "types": {"resourceTypeGeneral": "Collection", "resourceType": "Project"},
        "creators": [_creator(c) for c in metadata.get("creators") or []]
        or [{"name": UNAVAILABLE, "nameType": "Organizational"}],
        "titles": [{"title": metadata.get("title") or UNAVAILABLE}],
        "publisher": {"name": publisher},
        "publicationYear": created[:4],
        "alternateIdentifiers": [
            {"alternateIdentifier": oai_identifier, "alternateIdentifierType": "oai"}
        ],
        "dates": [{"date": created, "dateType": "Issued"}]
        + ([{"date": updated, "dateType": "Updated"}] if updated else []),
        "schemaVersion": "http://datacite.org/schema/kernel-4",
    }
    description = plain_text(metadata.get("description"))
    if description:
        data["descriptions"] = [{"description": description, "descriptionType": "Abstract"}]
    if subjects:
        data["subjects"] = subjects
    if related:
        data["relatedIdentifiers"] = related
    return data


def project_dublin_core(project, *, landing_page, record_page, publisher):
    """Simple Dublin Core (as ``dcxml.simpledc`` reads it) of a published project."""
    metadata = project.get("metadata") or {}
    relations = []
    for _kind, linked in linked_records(project):
        identifier, scheme = _linked_identifier(linked, record_page)
        relations.append(f"https://doi.org/{identifier}" if scheme == "DOI" else identifier)
    creators = [_creator(c)["name"] for c in metadata.get("creators") or []]
    subjects = [sdg_subject(s)["subject"] for s in metadata.get("sdgs") or []]
    subjects += [domain_subject(d)["subject"] for d in metadata.get("domains") or []]
    subjects += list(metadata.get("tags") or [])
    description = plain_text(metadata.get("description"))
    return {
        "titles": [metadata.get("title") or ""],
        "creators": creators,
        "subjects": subjects,
        "descriptions": [description] if description else [],
        "publishers": [publisher],
        "dates": [(project.get("created") or "")[:10]],
        "types": ["Collection"],
        "identifiers": [landing_page],
        "relations": relations,
        "rights": ["info:eu-repo/semantics/openAccess"],
    }
