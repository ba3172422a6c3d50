"""The storage contracts: JSONSchema, search mapping, vocabularies."""

import json
from pathlib import Path

import pytest
from jsonschema.exceptions import ValidationError as SchemaError

import cs4od_invenio.projects.records as records
from cs4od_invenio.projects.records import ProjectDraft
from cs4od_invenio.vocabularies import VOCABULARIES

RECORDS = Path(records.__file__).parent
SCHEMA = json.loads((RECORDS / "jsonschemas/projects/project-v1.0.0.json").read_text())
MAPPINGS = RECORDS / "mappings/os-v2/projects"


def test_jsonschema_refuses_what_the_api_would_never_store(app, db):
    """A draft with an unknown metadata field cannot be stored."""
    with pytest.raises(SchemaError, match="'colour' was unexpected"):
        ProjectDraft.create({"metadata": {"title": "x", "colour": "blue"}})


def test_every_stored_field_is_mapped():
    """Each metadata field of the JSONSchema is in both (strict) search mappings."""
    stored = set(SCHEMA["properties"]["metadata"]["properties"])
    for name in ("records", "drafts"):
        mapping = json.loads((MAPPINGS / name / "project-v1.0.0.json").read_text())
        mapped = set(mapping["mappings"]["properties"]["metadata"]["properties"])
        assert stored == mapped, name
        assert mapping["mappings"]["dynamic"] == "strict"


def test_vocabulary_files():
    """17 SDGs with the official ids; the 6 OECD major fields and their 42 fields."""
    sdgs, domains = (v.entries() for v in VOCABULARIES)
    assert [e["id"] for e in sdgs] == [f"sdg{n}" for n in range(1, 18)]
    assert sdgs[12]["title"] == {"en": "Climate action"}
    assert sum(1 for e in domains if e["props"]["level"] == "1") == 6
    assert sum(1 for e in domains if e["props"]["level"] == "2") == 42
    assert {e["id"]: e["title"]["en"] for e in domains}["1.2"] == (
        "Computer and information sciences")


def test_vocabularies_load_once_and_are_served(client, vocabularies):
    """A second load adds nothing; the terms are searchable over the REST API."""
    from cs4od_invenio.vocabularies import load_vocabularies

    assert vocabularies == {"sdgs": 17, "scientificdomains": 48}
    assert load_vocabularies() == {"sdgs": 0, "scientificdomains": 0}
    response = client.get("/api/vocabularies/sdgs?q=climate",
                          headers={"accept": "application/json"})
    assert response.status_code == 200
    assert [h["id"] for h in response.json["hits"]["hits"]] == ["sdg13"]
