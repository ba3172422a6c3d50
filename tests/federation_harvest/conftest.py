"""Fixtures of the harvest tests: replayed Zenodo answers and the vocabularies they use."""

from pathlib import Path

import invenio_rdm_records
import pytest
import yaml
from invenio_access.permissions import system_identity
from invenio_vocabularies.proxies import current_service as vocabulary_service
from invenio_vocabularies.records.models import VocabularyType
from projects_fixtures import *  # noqa: F401,F403
from standins.zenodo_oai import replay  # noqa: F401

VOCABULARIES = (
    Path(invenio_rdm_records.__file__).parent / "fixtures" / "data" / "vocabularies"
)


def _load(type_id, pid_type, filename, ids):
    """Create InvenioRDM's own entries ``ids`` of a vocabulary, from its fixture file."""
    if not VocabularyType.query.filter_by(id=type_id).first():
        vocabulary_service.create_type(system_identity, type_id, pid_type)
    entries = yaml.safe_load((VOCABULARIES / filename).read_text())
    for entry in entries:
        if entry["id"] in ids:
            vocabulary_service.create(system_identity, {**entry, "type": type_id})


@pytest.fixture()
def harvest_vocabularies(app, db, location, licenses, search_clear):
    """The resource types, relation types and licences the recorded records use."""
    _load("resourcetypes", "rsrct", "resource_types.yaml", {"poster", "dataset"})
    _load("relationtypes", "rlt", "relation_types.yaml", {"isidenticalto", "haspart"})
    vocabulary_service.indexer.refresh()
