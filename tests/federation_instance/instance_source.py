"""The source side of the instance-to-instance harvest: records with real metadata
(REANA's world population demo, recorded Zenodo records) and the vocabularies their
DataCite needs."""

import json
import math
import time
from pathlib import Path

import invenio_rdm_records
import yaml
from cs4od_site.demo import WORLD_POPULATION, WORLD_POPULATION_NOTEBOOK
from invenio_access.permissions import system_identity
from invenio_pidstore.errors import PIDDoesNotExistError
from invenio_vocabularies.proxies import current_service as vocabulary_service
from invenio_vocabularies.records.models import VocabularyType

from cs4od_invenio.datasets.zenodo import Vocabularies, read_record, to_rdm

ZENODO_API = Path(__file__).parents[1] / "data" / "zenodo-api"
VOCABULARIES = (
    Path(invenio_rdm_records.__file__).parent / "fixtures" / "data" / "vocabularies"
)
SOURCE_SLUG = "open-population-data-source"
TARGET_SLUG = "open-population-data-harvested"
PAGE_SIZE = 2


def add_entries(type_id, pid_type, filename, ids):
    """Create InvenioRDM's own entries ``ids`` of a vocabulary (those still missing)."""
    if not VocabularyType.query.filter_by(id=type_id).first():
        vocabulary_service.create_type(system_identity, type_id, pid_type)
    for entry in yaml.safe_load((VOCABULARIES / filename).read_text()):
        if entry["id"] in ids:
            try:
                vocabulary_service.read(system_identity, (type_id, entry["id"]))
            except PIDDoesNotExistError:
                vocabulary_service.create(system_identity, {**entry, "type": type_id})


def zenodo_payload(path, record_id, hit=None):
    """RDM input for a metadata-only copy of a recorded Zenodo record (the importer's
    mapping), with its Zenodo landing page as an alternate identifier."""
    data = json.loads(path.read_text())
    if hit is not None:
        data = next(h for h in data["hits"]["hits"] if str(h["id"]) == hit)
    # What resource_types_committed loads.
    known = Vocabularies(
        resource_types={"dataset", "software-computationalnotebook"},
        licenses={"mit", "cc-by-4.0"},
        relation_types={"isidenticalto", "issupplementto"},
    )
    payload, _ = to_rdm(read_record(data, record_id), known)
    payload["files"] = {"enabled": False}
    payload["metadata"]["identifiers"] = [
        {"identifier": f"https://zenodo.org/records/{record_id}", "scheme": "url"}
    ]
    return payload


def demo_payload(spec):
    """RDM input for a metadata-only record of the portal's demo content."""
    return {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": False},
        "metadata": spec["metadata"],
    }


def source_payloads():
    """Two datasets from Zenodo (persons with ORCID and affiliation, DOIs, a supplement
    link), the demo's table (an organisation) and its notebook (another resource type).
    """
    return [
        demo_payload(WORLD_POPULATION),
        zenodo_payload(ZENODO_API / "pooch" / "4924875.json", "4924875"),
        zenodo_payload(
            ZENODO_API / "cldfzenodo" / "search_5173799.json", "5173799", hit="5173799"
        ),
        demo_payload(WORLD_POPULATION_NOTEBOOK),
    ]


def wait_for_next_second():
    """Sleep until the clock has passed into the next whole second."""
    now = time.time()
    time.sleep(math.ceil(now) - now + 0.05)
