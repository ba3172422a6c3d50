"""Mapped records load with invenio-rdm-records' own RDMRecordSchema (instance config).

The schema reads identifier schemes and locales from the application's configuration,
so these tests run inside the instance's app context (no database or index needed).
"""

import pytest
from invenio_rdm_records.services.schemas import RDMRecordSchema
from marshmallow import ValidationError
from standins.zenodo_oai import DATACITE_PAGES

from cs4od_invenio.federation.datacite import datacite_to_rdm


def _loaded(record):
    return RDMRecordSchema().load(record)


@pytest.mark.parametrize("page", DATACITE_PAGES)
def test_every_mapped_record_passes_the_rdm_schema(appctx, recorded_page, page):
    """No field of a mapped record is refused, and none is silently left out."""
    for record in recorded_page(page).records:
        mapped = datacite_to_rdm(record.metadata).record
        loaded = _loaded(mapped)
        assert set(loaded["metadata"]) == set(
            mapped["metadata"]
        ), record.header.identifier
        assert loaded["access"] == mapped["access"]
        assert loaded["files"] == {"enabled": False}


def test_full_datacite_example_passes_the_rdm_schema(appctx, recorded):
    """Every RDM field the all-properties example fills is accepted by the schema."""
    mapped = datacite_to_rdm(recorded("datacite-examples/datacite-example-full-v4.xml"))
    loaded = _loaded(mapped.record)
    assert set(loaded["metadata"]) == set(mapped.record["metadata"])
    assert len(loaded["metadata"]["related_identifiers"]) == len(
        mapped.record["metadata"]["related_identifiers"]
    )


def test_loaded_person_gets_rdm_display_name(appctx, recorded_page):
    """RDM builds "Family, Given" from the mapped names, ORCID kept."""
    (record,) = recorded_page("2026/get_record-2.xml").records
    loaded = _loaded(datacite_to_rdm(record.metadata).record)
    person = loaded["metadata"]["creators"][0]["person_or_org"]
    assert person["name"] == "Klar, Jochen"
    assert person["identifiers"] == [
        {"scheme": "orcid", "identifier": "0000-0002-5883-4273"}
    ]


def test_reported_short_description_would_have_been_refused(appctx, recorded_page):
    """The one-character abstract the mapping reports is one RDM refuses."""
    (record,) = [
        r
        for r in recorded_page("2026/list_records-5.xml").records
        if r.header.identifier == "oai:zenodo.org:8436799"
    ]
    mapped = datacite_to_rdm(record.metadata).record
    _loaded(mapped)
    mapped["metadata"]["description"] = "."
    with pytest.raises(ValidationError) as caught:
        _loaded(mapped)
    assert "description" in caught.value.messages["metadata"]
