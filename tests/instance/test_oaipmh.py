"""OAI-PMH shows published records; every answer validates against the official schemas."""

from pathlib import Path

import pytest
from lxml import etree

XSD = Path(__file__).parent.parent / "data" / "xsd"
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "datacite": "http://datacite.org/schema/kernel-4",
}


@pytest.fixture(scope="module")
def oai_schema():
    """OAI-PMH 2.0 with oai_dc, oai-identifier and DataCite, from local files."""
    wrapper = XSD / "oai-pmh-schemas" / "local-offline" / "wrapper-all.xsd"
    return etree.XMLSchema(etree.parse(str(wrapper)))


def oai(client, schema, **params):
    response = client.get("/oai2d", query_string=params)
    tree = etree.fromstring(response.data)
    schema.assertValid(tree)
    return response, tree


def test_identify(client, oai_schema, app):
    response, tree = oai(client, oai_schema, verb="Identify")
    assert response.status_code == 200
    assert tree.findtext("oai:Identify/oai:repositoryName", namespaces=NS) == (
        "CS4OD (Science for Open Data)"
    )
    assert tree.findtext("oai:Identify/oai:protocolVersion", namespaces=NS) == "2.0"
    assert tree.findtext("oai:Identify/oai:deletedRecord", namespaces=NS) == "persistent"


@pytest.mark.parametrize("prefix", ["oai_dc", "oai_datacite"])
def test_list_records_shows_the_published_dataset(client, oai_schema, published_dataset, prefix):
    response, tree = oai(client, oai_schema, verb="ListRecords", metadataPrefix=prefix)
    assert response.status_code == 200
    records = tree.findall("oai:ListRecords/oai:record", namespaces=NS)
    assert len(records) == 1
    identifier = records[0].findtext("oai:header/oai:identifier", namespaces=NS)
    assert identifier == f"oai:cs4od.local:{published_dataset['id']}"
    if prefix == "oai_dc":
        titles = records[0].xpath(".//dc:title/text()", namespaces=NS)
        types = records[0].xpath(".//dc:type/text()", namespaces=NS)
        assert titles == ["World population shares"]
        assert "info:eu-repo/semantics/other" in types
    else:
        titles = records[0].xpath(".//datacite:title/text()", namespaces=NS)
        general = records[0].xpath(".//datacite:resourceType/@resourceTypeGeneral",
                                   namespaces=NS)
        assert titles == ["World population shares"]
        assert general == ["Dataset"]


def test_unknown_format_is_an_oai_error(client, oai_schema, app):
    """The spec's code, in the body of an HTTP 200 answer (stock: badArgument, 422)."""
    response, tree = oai(client, oai_schema, verb="ListRecords", metadataPrefix="nope")
    assert response.status_code == 200
    errors = tree.findall("oai:error", namespaces=NS)
    assert [e.get("code") for e in errors] == ["cannotDisseminateFormat"], response.data
