"""OAI-PMH page parsing on real Zenodo answers: headers, deletions, tokens, errors."""

import pytest

from cs4od_invenio.federation.oai import NotOAIResponse, OAIError, parse_page


def test_list_records_page_with_a_deleted_header(recorded_page):
    """A resumed ListRecords page: its deleted record, sets, datestamps and next token."""
    page = recorded_page("2026/list_records-10.xml")
    assert page.verb == "ListRecords"
    assert [r.header.identifier for r in page.records] == [
        "oai:zenodo.org:8433364",
        "oai:zenodo.org:8333281",
        "oai:zenodo.org:8321258",
    ]
    deleted = page.records[0]
    assert deleted.header.deleted is True
    assert deleted.header.datestamp == "2023-10-12T03:01:25Z"
    assert deleted.header.set_specs == ("software",)
    # Zenodo still sends the metadata of a deleted record.
    assert deleted.metadata is not None
    assert [r.header.deleted for r in page.records[1:]] == [False, False]
    token = page.resumption_token
    assert token.value == ".eJwlzEuOgjAAANC7dG0mLeAMkMwCRmlEqYLSQjemUBRtFRSMROPd5"
    assert token.cursor == 50
    assert token.complete_list_size == 8091628
    assert token.expiration_date == "2026-08-13T17:58:55Z"


def test_last_page_has_no_token(recorded_page):
    """The page answering the last token ends the list."""
    page = recorded_page("2026/list_records-9.xml")
    assert len(page.records) == 3
    assert page.resumption_token is None


def test_list_identifiers_headers(recorded_page):
    """ListIdentifiers pages give headers only, deleted ones included."""
    page = recorded_page("2026/list_identifiers-6.xml")
    assert page.verb == "ListIdentifiers"
    deleted = [r.header for r in page.records if r.header.deleted]
    assert [(h.identifier, h.set_specs) for h in deleted] == [
        ("oai:zenodo.org:8435696", ("user-pyhep2023", "openaire"))
    ]
    assert all(r.metadata is None for r in page.records)


def test_get_record_datacite_payload(recorded_page):
    """GetRecord in datacite: the metadata element is the DataCite resource."""
    page = recorded_page("2026/get_record-2.xml")
    (record,) = page.records
    assert record.header.set_specs == ("software", "user-rdmo")
    assert record.metadata.tag == "{http://datacite.org/schema/kernel-4}resource"


def test_non_numeric_complete_list_size(recorded_page):
    """A 2021 Zenodo token whose completeListSize is a Python dict repr still parses."""
    page = recorded_page("legacy/cldfzenodo__oai.xml")
    token = page.resumption_token
    assert len(page.records) == 100
    assert token.complete_list_size is None
    assert token.raw_complete_list_size == "{u'relation': u'eq', u'value': 312}"
    assert token.value.startswith(".eJwdzc0KgkAYheF7-dY")
    assert token.cursor == 0


@pytest.mark.parametrize(
    "name, code, message",
    [
        ("2026/list_records-4.xml", "badArgument", "metadataPrefix does not exist"),
        (
            "2026/list_records-11.xml",
            "badResumptionToken",
            "The value of the resumptionToken argument is invalid or expired.",
        ),
        ("2026/list_records-7.xml", "noRecordsMatch", ""),
        ("2026/get_record-1.xml", "badArgument", "metadataPrefix does not exist"),
        (
            "2024/id_does_not_exist__00_GetRecord_oai_dc_422.xml",
            "idDoesNotExist",
            "No matching identifier",
        ),
    ],
)
def test_error_answers(recorded_page, name, code, message):
    """Zenodo's 422 answers become OAIError with the OAI error code and message."""
    with pytest.raises(OAIError) as caught:
        recorded_page(name)
    assert (caught.value.code, caught.value.message) == (code, message)


def test_html_page_is_rejected(recorded):
    """An HTML page served where OAI-PMH was expected is refused as not OAI-PMH."""
    with pytest.raises(NotOAIResponse, match="not XML"):
        parse_page(recorded("other/identify-1.html"))


def test_cut_off_page_is_rejected(recorded):
    """A recorded page that was cut short is refused rather than half read."""
    with pytest.raises(NotOAIResponse, match="not XML"):
        parse_page(recorded("2024/list_identifiers__02_ListIdentifiers_rt_200.xml"))


def test_other_xml_is_rejected(recorded):
    """Well-formed XML that is not OAI-PMH (a bare DataCite resource) is refused."""
    with pytest.raises(NotOAIResponse, match="not OAI-PMH"):
        parse_page(recorded("datacite-examples/datacite-example-full-v4.xml"))


def test_external_entities_are_not_resolved(tmp_path):
    """A hostile answer cannot make the parser read local files."""
    secret = tmp_path / "secret.txt"
    secret.write_text("local secret")
    hostile = (
        f'<?xml version="1.0"?><!DOCTYPE OAI-PMH [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        '<error code="badVerb">&x;</error></OAI-PMH>'
    ).encode()
    with pytest.raises(OAIError) as caught:
        parse_page(hostile)
    assert "local secret" not in str(caught.value)
    assert caught.value.code == "badVerb"
