"""Demo content of the CS4OD portal: real open data, published through the RDM service."""

from pathlib import Path

from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_search.proxies import current_search_client

DEMO_DIR = Path(__file__).parent

WORLD_POPULATION = {
    "file": "World_historical_and_predicted_populations_in_percentage.csv",
    "metadata": {
        "resource_type": {"id": "dataset"},
        "title": "World historical and predicted populations (percentage by region)",
        "publication_date": "2020-06-01",
        "creators": [
            {
                "person_or_org": {
                    "type": "organizational",
                    "name": "REANA team, CERN",
                },
            }
        ],
        "description": (
            "<p>Share of the world population living in each region from 1500 to the "
            "projection for 2150. The table of the REANA world population demo "
            "(reanahub/reana-demo-worldpopulation, MIT licence), after Wikipedia's "
            "<em>World population</em> article.</p>"
        ),
        "publisher": "CS4OD",
        "subjects": [{"subject": "demography"}, {"subject": "world population"}],
        "rights": [{"id": "mit"}],
    },
}


def _published_with_title(title):
    current_search_client.indices.refresh()
    hits = current_rdm_records_service.search(
        system_identity, params={"q": f'metadata.title:"{title}"'}
    )
    return next(iter(hits.hits), None)


def create_dataset(spec):
    """Create and publish one dataset record with its file; return the record."""
    service = current_rdm_records_service
    draft = service.create(
        system_identity,
        {
            "metadata": spec["metadata"],
            "access": {"record": "public", "files": "public"},
            "files": {"enabled": True},
        },
    )
    path = DEMO_DIR / spec["file"]
    service.draft_files.init_files(system_identity, draft.id, [{"key": path.name}])
    with path.open("rb") as stream:
        service.draft_files.set_file_content(system_identity, draft.id, path.name, stream)
    service.draft_files.commit_file(system_identity, draft.id, path.name)
    return service.publish(system_identity, draft.id)


def load_demo():
    """Create the demo records that are not there yet; yield a line per record."""
    for spec in (WORLD_POPULATION,):
        title = spec["metadata"]["title"]
        existing = _published_with_title(title)
        if existing:
            yield f"already there: {title} ({existing['id']})"
            continue
        record = create_dataset(spec)
        yield f"published: {title} ({record.id})"
    current_search_client.indices.refresh()
