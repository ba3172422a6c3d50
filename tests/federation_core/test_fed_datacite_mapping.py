"""DataCite -> RDM mapping on real Zenodo OAI-PMH records (expected values from the XML)."""

import pytest
from lxml import etree
from standins.zenodo_oai import DATACITE_PAGES

from cs4od_invenio.federation.datacite import (
    datacite_to_rdm,
    find_resource,
    missing_required,
)


def _map(record):
    return datacite_to_rdm(
        record.metadata,
        oai_identifier=record.header.identifier,
        datestamp=record.header.datestamp,
    )


def _record(recorded_page, page, identifier):
    found = [
        r for r in recorded_page(page).records if r.header.identifier == identifier
    ]
    assert len(found) == 1, identifier
    return _map(found[0])


def _related(metadata, relation):
    return [
        (r["scheme"], r["identifier"], r.get("resource_type", {}).get("id"))
        for r in metadata["related_identifiers"]
        if r["relation_type"]["id"] == relation
    ]


def _local(element, name):
    return element.findall(f".//{{{etree.QName(element).namespace}}}{name}")


@pytest.mark.parametrize("page", DATACITE_PAGES)
def test_every_recorded_record_maps_with_its_title_creators_and_doi(
    recorded_page, page
):
    """Each record keeps its title, its creators and its DOI (as isidenticalto)."""
    records = recorded_page(page).records
    assert records
    for record in records:
        resource = find_resource(record.metadata)
        mapped = _map(record)
        metadata = mapped.record["metadata"]
        assert missing_required(mapped.record) == [], record.header.identifier
        assert metadata["title"] == _local(resource, "title")[0].text.strip()
        assert len(metadata["creators"]) == len(_local(resource, "creator"))
        doi = resource.find(f"{{{etree.QName(resource).namespace}}}identifier").text
        assert ("doi", doi, None) in _related(metadata, "isidenticalto")
        assert mapped.provenance["oai_identifier"] == record.header.identifier
        assert mapped.provenance["datestamp"] == record.header.datestamp
        assert mapped.record["files"] == {"enabled": False}


def test_rdmo_software_record(recorded_page):
    """Zenodo's RDMO 2.1.0 record: people with ORCIDs, licence, relations, description."""
    mapped = _record(recorded_page, "2026/get_record-2.xml", "oai:zenodo.org:10357859")
    metadata = mapped.record["metadata"]

    assert metadata["resource_type"] == {"id": "software"}
    assert metadata["title"] == "Research Data Management Organiser (RDMO)"
    assert metadata["creators"][0]["person_or_org"] == {
        "type": "personal",
        "family_name": "Klar",
        "given_name": "Jochen",
        "identifiers": [{"scheme": "orcid", "identifier": "0000-0002-5883-4273"}],
    }
    # Martínez Muñoz has no nameIdentifier on Zenodo.
    assert metadata["creators"][6]["person_or_org"] == {
        "type": "personal",
        "family_name": "Martínez Muñoz",
        "given_name": "David",
    }
    assert metadata["publisher"] == "Zenodo"
    assert metadata["version"] == "2.1.0"
    assert metadata["publication_date"] == "2023-12-11"
    assert metadata["dates"] == [{"date": "2023-12-11", "type": {"id": "updated"}}]
    assert metadata["rights"] == [{"id": "apache-2.0"}]
    assert mapped.record["access"] == {"record": "public", "files": "public"}
    assert _related(metadata, "isidenticalto") == [
        ("doi", "10.5281/zenodo.10357859", None)
    ]
    assert _related(metadata, "issupplementto") == [
        ("url", "https://github.com/rdmorganiser/rdmo/tree/2.1.0", "software")
    ]
    assert _related(metadata, "isversionof") == [("doi", "10.5281/zenodo.596581", None)]
    assert _related(metadata, "ispartof") == [
        ("url", "https://zenodo.org/communities/rdmo/", None)
    ]
    # Plain text with blank lines becomes HTML paragraphs.
    assert metadata["description"].startswith(
        "<p>RDMO 2.1.0 (Dec 11, 2023)</p><p>Refactor progress bar and overview</p>"
    )
    assert metadata["additional_descriptions"] == [
        {
            "description": "<p>If you refer to this software in a publication, "
            "please cite it as below.</p>",
            "type": {"id": "other"},
        }
    ]
    assert mapped.provenance == {
        "oai_identifier": "oai:zenodo.org:10357859",
        "datestamp": "2023-12-11T17:26:46Z",
        "doi": "10.5281/zenodo.10357859",
    }
    assert mapped.report == []


def test_thesis_package_with_supervisors(recorded_page):
    """Contributors keep their DataCite type as RDM role, with their affiliation."""
    mapped = _record(recorded_page, "2026/list_records-5.xml", "oai:zenodo.org:8435907")
    metadata = mapped.record["metadata"]
    assert metadata["resource_type"] == {"id": "other"}
    assert metadata["contributors"][0] == {
        "person_or_org": {
            "type": "personal",
            "family_name": "Hasselbring",
            "given_name": "Wilhelm",
        },
        "affiliations": [{"name": "Kiel University"}],
        "role": {"id": "supervisor"},
    }
    assert metadata["creators"][0]["affiliations"] == [{"name": "Kiel University"}]
    assert metadata["languages"] == [{"id": "eng"}]
    assert metadata["rights"] == [{"id": "apache-2.0"}]


def test_taxonomic_treatment_with_plazi_identifiers(recorded_page):
    """Text + "Taxonomic treatment" finds RDM's subtype; URL alternate ids are kept."""
    mapped = _record(recorded_page, "2026/list_records-5.xml", "oai:zenodo.org:8436503")
    metadata = mapped.record["metadata"]
    assert metadata["resource_type"] == {"id": "publication-taxonomictreatment"}
    assert metadata["title"] == "Oxygonia Mannerheim 1837"
    assert metadata["identifiers"] == [
        {
            "scheme": "url",
            "identifier": "http://treatment.plazi.org/id/23593C1D04231753FF114995FC52DAA9",
        }
    ]
    assert ("doi", "10.11646/zootaxa.5353.2.3", "publication-article") in _related(
        metadata, "ispartof"
    )
    assert _related(metadata, "cites") == [("doi", "10.5281/zenodo.8427135", "image")]
    assert mapped.report == []


def test_figure_resource_type(recorded_page):
    """Image + "Figure" is RDM's image-figure."""
    mapped = _record(recorded_page, "2026/list_records-5.xml", "oai:zenodo.org:8437103")
    assert mapped.record["metadata"]["resource_type"] == {"id": "image-figure"}


def test_funding_keeps_award_and_reports_the_funder_ror(recorded_page):
    """Funder name and award are mapped; the funder's ROR id is reported, not dropped."""
    mapped = _record(recorded_page, "2026/list_records-5.xml", "oai:zenodo.org:8435639")
    assert mapped.record["metadata"]["funding"] == [
        {
            "funder": {"name": "European Commission"},
            "award": {
                "number": "864300",
                "title": {"en": "PLATform for Operation of distribution NEtworks"},
            },
        }
    ]
    assert [(u.path, u.value) for u in mapped.report] == [
        ("resource/fundingReferences/fundingReference/funderIdentifier", "00k4n6c32")
    ]
    assert "funders vocabulary" in mapped.report[0].reason


def test_too_short_description_is_reported(recorded_page):
    """A one-character abstract cannot be an RDM description: it is in the report."""
    mapped = _record(recorded_page, "2026/list_records-5.xml", "oai:zenodo.org:8436799")
    assert "description" not in mapped.record["metadata"]
    assert [(u.path, u.value) for u in mapped.report] == [
        ("resource/descriptions/description", ".")
    ]


def test_article_copy_keeps_the_publisher_doi(recorded_page):
    """Zenodo's copies of old articles carry the publisher's DOI: it is the identical one."""
    mapped = _record(
        recorded_page,
        "2024/list_records__07_ListRecords_datacite_200.xml",
        "oai:zenodo.org:2217771",
    )
    metadata = mapped.record["metadata"]
    assert metadata["resource_type"] == {"id": "publication-article"}
    assert metadata["title"] == "Some Remarkable Oxidation-Products of Benzidine"
    assert metadata["publication_date"] == "1910-01-01"
    assert metadata["rights"] == [{"id": "cc0-1.0"}]
    assert _related(metadata, "isidenticalto") == [
        ("doi", "10.1080/00359191009519377", None)
    ]
    assert mapped.provenance["doi"] == "10.1080/00359191009519377"


def test_kernel3_poster_of_a_community_set(recorded_page):
    """2015 oai_datacite (kernel-3): names split, Text/Poster, licence found by URL."""
    mapped = _record(
        recorded_page,
        "legacy/zenodio__lisa7-posters_ListRecords_oai_datacite3_"
        "set-user-lisa7-posters_2015.xml",
        "oai:zenodo.org:10165",
    )
    metadata = mapped.record["metadata"]
    assert metadata["resource_type"] == {"id": "poster"}
    assert metadata["creators"] == [
        {
            "person_or_org": {
                "type": "personal",
                "family_name": "Dietrich",
                "given_name": "Dianne",
            },
            "affiliations": [{"name": "Cornell University Library"}],
        }
    ]
    assert metadata["publication_date"] == "2014-05-26"
    assert metadata["rights"] == [{"id": "cc-by-4.0"}]
    assert mapped.record["access"]["files"] == "public"
    assert metadata["subjects"] == [
        {"subject": "data management"},
        {"subject": "graduate students"},
        {"subject": "astronomy"},
        {"subject": "library instruction"},
    ]
    assert metadata["identifiers"] == [
        {"scheme": "url", "identifier": "http://zenodo.org/record/10165"}
    ]
    assert _related(metadata, "haspart") == [
        ("url", "https://zenodo.org/record/10165/files/lisa.pdf", None)
    ]
    # The page carries HTML as text; it stays HTML.
    assert metadata["description"].startswith("<p>The aim of this poster is to explore")
    assert mapped.provenance["oai_identifier"] == "oai:zenodo.org:10165"
    assert mapped.report == []


def test_full_datacite_example_maps_and_reports_the_rest(recorded):
    """DataCite's all-properties example: what RDM holds is mapped, the rest reported."""
    mapped = datacite_to_rdm(recorded("datacite-examples/datacite-example-full-v4.xml"))
    metadata = mapped.record["metadata"]
    report = {(u.path, u.value) for u in mapped.report}

    assert metadata["creators"][0]["person_or_org"]["identifiers"] == [
        {"scheme": "orcid", "identifier": "0000-0001-5727-2427"}
    ]
    assert metadata["creators"][1]["person_or_org"] == {
        "type": "organizational",
        "name": "ExampleOrganization",
        "identifiers": [{"scheme": "ror", "identifier": "04wxnsj81"}],
    }
    assert {
        "title": "Example TranslatedTitle",
        "type": {"id": "translated-title"},
        "lang": {"id": "fra"},
    } in metadata["additional_titles"]
    assert {"date": "2024-01-01/2024-12-31", "type": {"id": "coverage"}} in metadata[
        "dates"
    ]
    assert {
        "date": "2024-01-01",
        "type": {"id": "other"},
        "description": "ExampleDateInformation",
    } in metadata["dates"]
    assert metadata["sizes"] == ["1 MB", "90 pages"]
    assert metadata["formats"] == ["application/xml", "text/plain"]
    assert metadata["languages"] == [{"id": "eng"}]
    assert metadata["rights"] == [{"id": "cc-by-4.0"}]
    assert metadata["locations"]["features"][0] == {
        "place": "Vancouver, British Columbia, Canada",
        "geometry": {"type": "Point", "coordinates": [-123.1207, 49.2827]},
    }
    assert metadata["funding"][0]["award"]["identifiers"] == [
        {"scheme": "url", "identifier": "https://example.com/example-award-uri"}
    ]
    roles = {c["role"]["id"] for c in metadata["contributors"]}
    assert {"contactperson", "translator", "workpackageleader", "other"} <= roles

    assert ("resource/alternateIdentifiers/alternateIdentifier", "12345") in report
    assert ("resource/resourceType", "Example ResourceType") in report
    assert (
        "resource/publisher/@publisherIdentifier",
        "https://ror.org/04z8jg394",
    ) in report
    assert ("resource/subjects/subject[2]/@classificationCode", "461001") in report
    assert (
        "resource/geoLocations/geoLocation/geoLocationBox/westBoundLongitude",
        "-123.27",
    ) in report
    assert ("resource/relatedItems/relatedItem/volume", "1") in report
    assert (
        "resource/creators/creator[1]/affiliation/@affiliationIdentifier",
        "https://ror.org/04wxnsj81",
    ) in report
    assert (
        "resource/relatedIdentifiers/relatedIdentifier[24]/@resourceTypeGeneral",
        "Service",
    ) in report


def test_oai_dc_metadata_is_not_datacite(recorded_page):
    """An oai_dc record is refused with a clear error, not mapped to something empty."""
    record = recorded_page("2026/list_records-6.xml").records[0]
    with pytest.raises(ValueError, match="no DataCite"):
        _map(record)
