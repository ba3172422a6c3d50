"""The project mapping to DataCite and Dublin Core, as plain functions (no app)."""

from datacite import schema45
from lxml import etree
from oai_checks import load_schemas

from cs4od_invenio.federation.oai_server.mapping import (
    plain_text,
    project_datacite,
    project_dublin_core,
)
from cs4od_invenio.federation.oai_server.serializers import with_identifier

PROJECT = {
    "id": "abcde-12345",
    "created": "2024-03-01T10:00:00.123456+00:00",
    "updated": "2024-04-02T11:00:00+00:00",
    "metadata": {
        "title": "Excess mortality in Italy",
        "description": "<p>Daily deaths &amp; <b>ISTAT</b> tables.</p>",
        "sdgs": [{"id": "sdg3", "title": {"en": "Good health and well-being"},
                  "props": {"number": "3", "url": "https://sdgs.un.org/goals/goal3"}}],
        "domains": [{"id": "3.3", "title": {"en": "Health sciences"}}],
        "datasets": [
            {"id": "d1", "metadata": {"resource_type": {"id": "dataset"}},
             "pids": {"doi": {"identifier": "10.5281/zenodo.3824313"}}},
            {"id": "d2", "metadata": {"resource_type": {"id": "dataset"}}},
        ],
        "notebooks": [{"id": "n1", "metadata": {
            "resource_type": {"id": "software-computationalnotebook"}}}],
        "creators": [{"person_or_org": {"type": "organizational", "name": "ISTAT"}}],
    },
}
GENERAL = {"dataset": "Dataset", "software-computationalnotebook": "ComputationalNotebook"}


def datacite(project=PROJECT):
    return project_datacite(
        project, landing_page="https://cs4od.example/projects/abcde-12345",
        record_page=lambda id_: f"https://cs4od.example/records/{id_}", publisher="CS4OD",
        oai_identifier="oai:cs4od.example:project/abcde-12345", type_general=GENERAL.get)


def kernel_valid(data):
    resource = with_identifier(schema45.dump_etree(data), data["url"])
    tree = etree.fromstring(etree.tostring(resource))
    load_schemas()[1].assertValid(tree)
    return tree


def test_parts_are_dois_when_they_have_one_else_landing_pages():
    data = datacite()
    assert schema45.validate(data)
    assert data["relatedIdentifiers"] == [
        {"relatedIdentifier": "10.5281/zenodo.3824313", "relatedIdentifierType": "DOI",
         "relationType": "HasPart", "resourceTypeGeneral": "Dataset"},
        {"relatedIdentifier": "https://cs4od.example/records/d2",
         "relatedIdentifierType": "URL", "relationType": "HasPart",
         "resourceTypeGeneral": "Dataset"},
        {"relatedIdentifier": "https://cs4od.example/records/n1",
         "relatedIdentifierType": "URL", "relationType": "HasPart",
         "resourceTypeGeneral": "ComputationalNotebook"},
    ]
    tree = kernel_valid(data)
    ns = {"d": "http://datacite.org/schema/kernel-4"}
    assert tree.xpath("d:identifier/@identifierType", namespaces=ns) == ["URL"]
    assert tree.xpath("d:creators/d:creator/d:creatorName/@nameType", namespaces=ns) == [
        "Organizational"]
    assert tree.xpath("d:publicationYear/text()", namespaces=ns) == ["2024"]


def test_subjects_and_description():
    data = datacite()
    assert data["subjects"][:2] == [
        {"subject": "3. Good health and well-being", "subjectScheme": "SDG",
         "schemeUri": "https://sdgs.un.org/goals", "valueUri": "https://sdgs.un.org/goals/goal3"},
        {"subject": "FOS: Health sciences",
         "subjectScheme": "Fields of Science and Technology (FOS)",
         "schemeUri": "http://www.oecd.org/science/inno/38235147.pdf"},
    ]
    assert data["descriptions"] == [
        {"description": "Daily deaths & ISTAT tables.", "descriptionType": "Abstract"}]
    assert plain_text("  ") == ""


def test_a_bare_project_is_still_valid_datacite():
    bare = {"id": "x", "created": "2024-03-01T10:00:00+00:00", "metadata": {"title": "T"}}
    data = datacite(bare)
    assert data["creators"] == [{"name": ":unav", "nameType": "Organizational"}]
    assert "relatedIdentifiers" not in data and "subjects" not in data
    kernel_valid(data)


def test_dublin_core_relations():
    dc = project_dublin_core(PROJECT, landing_page="https://cs4od.example/projects/abcde-12345",
                             record_page=lambda id_: f"https://cs4od.example/records/{id_}",
                             publisher="CS4OD")
    assert dc["relations"] == ["https://doi.org/10.5281/zenodo.3824313",
                               "https://cs4od.example/records/d2",
                               "https://cs4od.example/records/n1"]
    assert dc["subjects"] == ["3. Good health and well-being", "FOS: Health sciences"]
    assert dc["creators"] == ["ISTAT"]


def test_an_existing_identifier_is_kept():
    data = {**datacite(), "doi": "10.5281/zenodo.1"}
    tree = kernel_valid(data)
    identifiers = tree.findall("{http://datacite.org/schema/kernel-4}identifier")
    assert [(i.get("identifierType"), i.text) for i in identifiers] == [
        ("DOI", "10.5281/zenodo.1")]
