"""Load the CS4OD vocabularies from the YAML files shipped in ``data/``."""

from dataclasses import dataclass
from pathlib import Path

import yaml
from invenio_access.permissions import system_identity
from invenio_pidstore.models import PersistentIdentifier
from invenio_vocabularies.proxies import current_service as vocabulary_service
from invenio_vocabularies.records.models import VocabularyType

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class VocabularyFixture:
    """A vocabulary type and the file of its entries."""

    type_id: str
    pid_type: str
    filename: str

    def entries(self):
        """The entries of the vocabulary, as the vocabulary service takes them."""
        with (DATA / self.filename).open() as stream:
            return [{**entry, "type": self.type_id} for entry in yaml.safe_load(stream)]


SDGS = VocabularyFixture("sdgs", "sdg", "sdgs.yaml")
DOMAINS = VocabularyFixture("scientificdomains", "scd", "domains.yaml")
VOCABULARIES = (SDGS, DOMAINS)


def load_vocabularies(fixtures=VOCABULARIES):
    """Create the vocabulary types and the entries that are missing; return counts.

    Idempotent: entries that exist are left as they are, so it runs on every set-up.
    """
    created = {}
    for fixture in fixtures:
        if not VocabularyType.query.filter_by(id=fixture.type_id).one_or_none():
            vocabulary_service.create_type(system_identity, fixture.type_id, fixture.pid_type)
        existing = {
            pid.pid_value
            for pid in PersistentIdentifier.query.filter_by(pid_type=fixture.pid_type)
        }
        missing = [e for e in fixture.entries() if e["id"] not in existing]
        for entry in missing:
            vocabulary_service.create(system_identity, entry)
        created[fixture.type_id] = len(missing)
    vocabulary_service.indexer.refresh()
    return created
