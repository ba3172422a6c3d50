"""What CS4OD reads in real Zenodo answers: references, access, files, RDM metadata."""

import json
from pathlib import Path

import pytest

from cs4od_invenio.datasets.zenodo import (
    Vocabularies,
    ZenodoImportError,
    parse_reference,
    read_record,
    to_rdm,
)
from standins.zenodo_rest import recordings

DATA = Path(__file__).parent.parent / "data" / "zenodo-api"
ALL = Vocabularies(
    resource_types={"dataset", "software", "publication-article"},
    licenses={"cc-by-4.0", "mit"},
    relation_types={"isidenticalto", "isversionof", "issupplementto"},
)


def _rdm_native():
    return json.loads((DATA / "pooch" / "4924875.json").read_text())


def _legacy():
    _status, _type, body = recordings()["/api/records/7078768"]
    return json.loads(body)


def _legacy_search_hit():
    return json.loads((DATA / "cldfzenodo" / "search_5173799.json").read_text())[
        "hits"]["hits"][0]


@pytest.mark.parametrize("text", [
    "10.5281/zenodo.4924875", "doi:10.5281/zenodo.4924875",
    "https://doi.org/10.5281/zenodo.4924875", "https://zenodo.org/records/4924875",
    "https://zenodo.org/record/4924875", "https://zenodo.org/api/records/4924875",
    "https://zenodo.org/records/4924875?preview=1", "https://zenodo.org/doi/10.5281/zenodo.4924875",
    " 4924875 ",
])
def test_every_way_of_naming_a_record(text):
    assert parse_reference(text) == "4924875"


@pytest.mark.parametrize("text", [
    "", "10.1000/182", "https://zenodo.org/search?q=pooch", "zenodo", "10.5281/zenodo.",
])
def test_what_is_not_a_zenodo_reference_is_refused_with_a_reason(text):
    with pytest.raises(ZenodoImportError) as error:
        parse_reference(text)
    assert "Zenodo" in str(error.value)


def test_invenio_rdm_answer_files_and_provenance():
    record = read_record(_rdm_native(), "4924875")
    assert not record.legacy
    assert record.doi == "10.5281/zenodo.4924875"
    assert {(f.key, f.size, f.checksum) for f in record.files} == {
        ("store.zip", 780, "md5:7008231125631739b64720d1526619ae"),
        ("tiny-data.txt", 59, "md5:70e2afd3fd7e336ae478b1e740a5f08e"),
    }
    payload, notes = to_rdm(record, ALL)
    metadata = payload["metadata"]
    assert metadata["title"] == "Test data for the Pooch library"
    assert metadata["resource_type"] == {"id": "dataset"}
    assert metadata["rights"] == [{"id": "cc-by-4.0"}]
    creator = metadata["creators"][0]
    assert creator["person_or_org"]["family_name"] == "Uieda"
    assert creator["person_or_org"]["identifiers"] == [
        {"scheme": "orcid", "identifier": "0000-0001-6123-9515"}]
    assert creator["affiliations"][0]["name"].startswith("Department of Earth, Ocean")
    assert metadata["related_identifiers"][0] == {
        "identifier": "10.5281/zenodo.4924875", "scheme": "doi",
        "relation_type": {"id": "isidenticalto"}}
    assert "pids" not in payload  # the copy gets no DOI of its own
    assert notes == []


def test_legacy_answer_creators_licence_keywords_and_relations():
    record = read_record(_legacy(), "7078768")
    assert record.legacy
    assert [f.key for f in record.files] == ["capitals.csv", "table.xls"]
    payload, notes = to_rdm(record, ALL)
    metadata = payload["metadata"]
    # "FD Testing" has no comma and no ORCID: kept whole, as an organisation.
    assert metadata["creators"] == [{
        "person_or_org": {"type": "organizational", "name": "FD Testing"},
        "affiliations": [{"name": "TDWD"}]}]
    assert metadata["rights"] == [{"id": "cc-by-4.0"}]  # Zenodo wrote CC-BY-4.0
    assert metadata["subjects"] == [{"subject": "TDWD"}]
    assert {"identifier": "10.5281/zenodo.7078767", "scheme": "doi",
            "relation_type": {"id": "isversionof"}} in metadata["related_identifiers"]
    assert metadata["publication_date"] == "2022-09-14"
    assert "notes not imported" in notes


def test_legacy_persons_split_and_unknown_things_noted():
    record = read_record(_legacy_search_hit(), "5173799")
    # The search answer gives bare MD5 sums: they are read as md5.
    assert record.files[0].checksum == "md5:43e15e8115e5610cb029dce137cbea6f"
    payload, notes = to_rdm(record, Vocabularies(resource_types={"dataset"},
                                                 licenses=set(),
                                                 relation_types={"isidenticalto"}))
    names = [c["person_or_org"] for c in payload["metadata"]["creators"]]
    assert names[0] == {"type": "personal", "family_name": "Greenhill",
                        "given_name": "Simon J."}
    assert names[1] == {"type": "organizational", "name": "Hannah J. Haynie"}
    # cc-by-4.0 is not a licence of this instance: kept as its name.
    assert payload["metadata"]["rights"] == [{"title": {"en": "cc-by-4.0"}}]
    assert any("https://github.com/lexibank/utoaztecan/tree/v1.1" in n for n in notes)
    assert "communities not imported" in notes


@pytest.mark.parametrize("access, expected", [
    ({"record": "public", "files": "restricted", "embargo": {"active": False}},
     "has restricted files"),
    ({"record": "public", "files": "restricted",
      "embargo": {"active": True, "until": "2031-01-01"}}, "under embargo until 2031-01-01"),
    ({"record": "restricted", "files": "restricted"}, "has restricted files"),
])
def test_access_of_the_rdm_answer_decides(access, expected):
    data = _rdm_native()
    data["access"] = {**data["access"], **access}
    with pytest.raises(ZenodoImportError) as error:
        read_record(data, "4924875")
    assert expected in str(error.value)


@pytest.mark.parametrize("right, expected", [
    ("restricted", "has restricted files"), ("closed", "has closed files"),
    ("embargoed", "under embargo until 2030-05-01"),
])
def test_access_right_of_the_legacy_answer_decides(right, expected):
    data = _legacy()
    data["metadata"].update(access_right=right, embargo_date="2030-05-01")
    with pytest.raises(ZenodoImportError) as error:
        read_record(data, "7078768")
    assert expected in str(error.value)


def test_a_file_without_md5_cannot_be_verified():
    data = _legacy()
    data["files"][0]["checksum"] = "sha256:abc"
    with pytest.raises(ZenodoImportError) as error:
        read_record(data, "7078768")
    assert "no MD5 checksum for capitals.csv" in str(error.value)


def test_record_urls_of_other_sites_are_not_zenodo_records():
    with pytest.raises(ZenodoImportError):
        parse_reference("https://example.org/records/1")
    assert parse_reference("http://127.0.0.1:5999/records/7",
                           hosts=("zenodo.org", "127.0.0.1:5999")) == "7"
