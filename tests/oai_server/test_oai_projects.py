"""Projects over OAI-PMH: identifiers, both formats, subjects, parts, sets, tombstones."""

import pytest
from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import current_rdm_records_service
from oai_checks import NS, error_code, identifiers, publish_project
from projects_fixtures import refresh

PREFIX = "oai:cs4od.local:"


def project_id(project):
    return f"{PREFIX}project/{project.id}"


def record_id(record):
    return f"{PREFIX}{record.id}"


def the_record(tree, identifier):
    found = [r for r in tree.iterfind(".//oai:record", NS)
             if r.findtext("oai:header/oai:identifier", namespaces=NS) == identifier]
    assert len(found) == 1, identifiers(tree)
    return found[0]


def test_records_and_projects_are_listed_together(oai, content):
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert sorted(identifiers(tree)) == sorted([
        record_id(content["dataset"]), record_id(content["notebook"]),
        project_id(content["linked"]), project_id(content["other"]),
    ])
    # Datestamps are UTC to the second, and the list is in datestamp order.
    stamps = tree.xpath("//oai:header/oai:datestamp/text()", namespaces=NS)
    assert stamps == sorted(stamps) and all(s.endswith("Z") and len(s) == 20 for s in stamps)


def test_project_as_datacite(oai, content):
    project = content["linked"]
    tree = oai(verb="GetRecord", identifier=project_id(project), metadataPrefix="oai_datacite")
    resource = tree.find(".//oai_datacite:payload/datacite:resource", NS)
    assert tree.findtext(".//oai_datacite:schemaVersion", namespaces=NS) == "4.5"
    identifier = resource.find("datacite:identifier", NS)
    assert identifier.get("identifierType") == "URL"
    assert identifier.text == f"http://127.0.0.1/projects/{project.id}"
    assert resource.findtext("datacite:titles/datacite:title", namespaces=NS) == (
        "Excess mortality in Europe")
    kind = resource.find("datacite:resourceType", NS)
    assert (kind.get("resourceTypeGeneral"), kind.text) == ("Collection", "Project")
    creator = resource.find("datacite:creators/datacite:creator", NS)
    assert creator.findtext("datacite:creatorName", namespaces=NS) == "Carberry, Josiah"
    orcid = creator.find("datacite:nameIdentifier", NS)
    assert (orcid.get("nameIdentifierScheme"), orcid.text) == ("ORCID", "0000-0002-1825-0097")

    subjects = {(s.get("subjectScheme"), s.text)
                for s in resource.iterfind("datacite:subjects/datacite:subject", NS)}
    assert ("SDG", "3. Good health and well-being") in subjects
    assert ("Fields of Science and Technology (FOS)", "FOS: Health sciences") in subjects
    assert (None, "mortality") in subjects
    sdg = resource.find("datacite:subjects/datacite:subject[@subjectScheme='SDG']", NS)
    assert sdg.get("valueURI") == "https://sdgs.un.org/goals/goal3"

    parts = [(r.get("relationType"), r.get("relatedIdentifierType"), r.text,
              r.get("resourceTypeGeneral"))
             for r in resource.iterfind("datacite:relatedIdentifiers/datacite:relatedIdentifier",
                                        NS)]
    assert parts == [
        ("HasPart", "URL", f"http://127.0.0.1/records/{content['dataset'].id}", "Dataset"),
        ("HasPart", "URL", f"http://127.0.0.1/records/{content['notebook'].id}",
         "ComputationalNotebook"),
    ]


def test_project_as_dublin_core(oai, content):
    project = content["linked"]
    tree = oai(verb="GetRecord", identifier=project_id(project), metadataPrefix="oai_dc")
    dc = tree.find(".//oai_dc:dc", NS)
    assert dc.findtext("dc:title", namespaces=NS) == "Excess mortality in Europe"
    assert dc.findtext("dc:type", namespaces=NS) == "Collection"
    assert dc.findtext("dc:description", namespaces=NS) == (
        "Weekly deaths before and during the pandemic.")
    subjects = dc.xpath("dc:subject/text()", namespaces=NS)
    assert {"3. Good health and well-being", "FOS: Health sciences"} <= set(subjects)
    assert dc.xpath("dc:relation/text()", namespaces=NS) == [
        f"http://127.0.0.1/records/{content['dataset'].id}",
        f"http://127.0.0.1/records/{content['notebook'].id}"]


@pytest.mark.parametrize("prefix", ["datacite", "oai_datacite4", "datacite4"])
def test_project_in_the_other_datacite_formats(oai, content, prefix):
    tree = oai(verb="GetRecord", identifier=project_id(content["other"]), metadataPrefix=prefix)
    assert tree.xpath("//datacite:resource/datacite:subjects/datacite:subject"
                      "[@subjectScheme='SDG']/text()", namespaces=NS) == [
        "11. Sustainable cities and communities"]


def test_records_keep_their_answers_and_get_a_datacite_identifier(oai, content):
    dataset = content["dataset"]
    tree = oai(verb="GetRecord", identifier=record_id(dataset), metadataPrefix="oai_datacite")
    resource = tree.find(".//datacite:resource", NS)
    assert resource.findtext("datacite:identifier", namespaces=NS) == (
        f"http://127.0.0.1/records/{dataset.id}")
    assert resource.find("datacite:resourceType", NS).get("resourceTypeGeneral") == "Dataset"
    tree = oai(verb="GetRecord", identifier=record_id(content["notebook"]),
               metadataPrefix="datacite")
    assert tree.find("oai:GetRecord/oai:record/oai:metadata/datacite:resource/"
                     "datacite:identifier", NS).get("identifierType") == "URL"
    # Formats only records have: records listed, projects left out.
    tree = oai(verb="ListRecords", metadataPrefix="marcxml")
    assert sorted(identifiers(tree)) == sorted(
        [record_id(dataset), record_id(content["notebook"])])


def test_formats_of_an_item(oai, content):
    def prefixes(**params):
        tree = oai(verb="ListMetadataFormats", **params)
        return set(tree.xpath("//oai:metadataPrefix/text()", namespaces=NS))

    everything = prefixes()
    assert {"oai_dc", "oai_datacite", "marcxml", "dcat"} <= everything
    assert prefixes(identifier=project_id(content["linked"])) == {
        "oai_dc", "oai_datacite", "oai_datacite4", "datacite", "datacite4"}
    assert prefixes(identifier=record_id(content["dataset"])) == everything
    tree = oai(verb="GetRecord", identifier=project_id(content["linked"]),
               metadataPrefix="marcxml")
    assert error_code(tree) == "cannotDisseminateFormat"


def test_sets(oai, content):
    community = content["community"]
    spec = f"community-{community['slug']}"
    tree = oai(verb="ListSets")
    assert tree.xpath("//oai:setSpec/text()", namespaces=NS) == ["projects", spec]

    projects = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="projects")
    assert sorted(identifiers(projects)) == sorted(
        [project_id(content["linked"]), project_id(content["other"])])

    members = oai(verb="ListRecords", metadataPrefix="oai_datacite", set=spec)
    assert sorted(identifiers(members)) == sorted(
        [record_id(content["dataset"]), project_id(content["linked"])])
    # Headers name the sets of each item, wherever it is listed.
    for tree in (members, oai(verb="ListIdentifiers", metadataPrefix="oai_dc"),
                 oai(verb="GetRecord", metadataPrefix="oai_dc",
                     identifier=project_id(content["linked"]))):
        linked = [h for h in tree.iterfind(".//oai:header", NS)
                  if h.findtext("oai:identifier", namespaces=NS) == project_id(content["linked"])]
        assert linked[0].xpath("oai:setSpec/text()", namespaces=NS) == ["projects", spec]
    everything = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    headers = {h.findtext("oai:identifier", namespaces=NS):
               h.xpath("oai:setSpec/text()", namespaces=NS)
               for h in everything.iterfind(".//oai:header", NS)}
    assert headers[record_id(content["dataset"])] == [spec]
    assert headers[record_id(content["notebook"])] == []
    assert headers[project_id(content["other"])] == ["projects"]


def test_removed_project_and_deleted_record_keep_a_deleted_header(
        oai, content, projects_service, owner):
    identify = oai(verb="Identify")
    assert identify.findtext("oai:Identify/oai:deletedRecord", namespaces=NS) == "persistent"

    projects_service.delete(owner.identity, content["other"].id, reason="Duplicate")
    refresh()
    current_rdm_records_service.delete_record(
        system_identity, content["notebook"].id, {"note": "Wrong file"})
    current_rdm_records_service.indexer.refresh()
    removed = {project_id(content["other"]), record_id(content["notebook"])}

    for prefix in ("oai_dc", "oai_datacite"):
        tree = oai(verb="ListRecords", metadataPrefix=prefix)
        assert len(identifiers(tree)) == 4
        for identifier in removed:
            record = the_record(tree, identifier)
            assert record.find("oai:header", NS).get("status") == "deleted"
            assert record.find("oai:metadata", NS) is None
        live = the_record(tree, project_id(content["linked"]))
        assert live.find("oai:header", NS).get("status") is None
        assert live.find("oai:metadata", NS) is not None

    tree = oai(verb="GetRecord", identifier=project_id(content["other"]),
               metadataPrefix="oai_datacite")
    header = tree.find(".//oai:record/oai:header", NS)
    assert header.get("status") == "deleted"
    # The tombstone's datestamp is the removal's: incremental harvests see it.
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc",
               **{"from": header.findtext("oai:datestamp", namespaces=NS)})
    assert project_id(content["other"]) in identifiers(tree)
    assert tree.find(".//oai:header[@status='deleted']", NS) is not None


def test_restricted_and_draft_projects_are_not_exposed(
        oai, projects_service, owner, vocabularies, search_clear):
    draft = projects_service.create(owner.identity, {
        "access": {"record": "public"}, "metadata": {"title": "Unfinished"}})
    restricted = publish_project(projects_service, owner, title="Hospital capacity")
    edited = projects_service.edit(owner.identity, restricted.id).to_dict()
    edited["access"] = {"record": "restricted"}
    projects_service.update_draft(owner.identity, restricted.id, edited)
    projects_service.publish(owner.identity, restricted.id)
    refresh()
    for identifier in (f"{PREFIX}project/{draft.id}", f"{PREFIX}project/{restricted.id}"):
        tree = oai(verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
        assert error_code(tree) == "idDoesNotExist"
    assert error_code(oai(verb="ListIdentifiers", metadataPrefix="oai_dc")) == "noRecordsMatch"


def test_selective_harvest_by_date(oai, content):
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="projects")
    stamps = tree.xpath("//oai:header/oai:datestamp/text()", namespaces=NS)
    last = max(stamps)
    # until is inclusive at the granularity of seconds and of days.
    assert len(identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc",
                               set="projects", until=last))) == 2
    day = last[:10]
    assert len(identifiers(oai(verb="ListIdentifiers", metadataPrefix="oai_dc",
                               set="projects", **{"from": day, "until": day}))) == 2
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", until="2001-01-01")
    assert error_code(tree) == "noRecordsMatch"
    tree = oai(verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2999-01-01T00:00:00Z"})
    assert error_code(tree) == "noRecordsMatch"
