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


WORLD_POPULATION_NOTEBOOK = {
    "file": "worldpopulation.ipynb",
    "metadata": {
        "resource_type": {"id": "software-computationalnotebook"},
        "title": "World population: a region's share over five centuries (notebook)",
        "publication_date": "2020-06-01",
        "creators": WORLD_POPULATION["metadata"]["creators"],
        "description": (
            "<p>The Jupyter notebook of the REANA world population demo "
            "(reanahub/reana-demo-worldpopulation, MIT licence): it reads the table of "
            "shares and plots one region's share between two years. Its parameters "
            "(input_file, output_file, region, year_min, year_max) are set by papermill "
            "when the project's reana.yaml runs it.</p>"
        ),
        "publisher": "CS4OD",
        "subjects": [{"subject": "world population"}, {"subject": "reproducibility"}],
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
    """Create and publish one record (a dataset or notebook) with its file; return it."""
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


DEMO_COMMUNITY = {
    "slug": "open-population-data",
    "access": {"visibility": "public", "record_submission_policy": "open"},
    "metadata": {
        "title": "Open population data",
        "description": "Demography from open sources: censuses, estimates, projections.",
    },
}

DEMO_PROJECT = {
    "access": {"record": "public"},
    "metadata": {
        "title": "How has the world's population shifted between regions?",
        "description": (
            "<p>Five centuries of the share of the world population living in each "
            "region, and the projections to 2150: which regions grow, which shrink.</p>"
        ),
        "tags": ["demography", "world population"],
        "domains": [{"id": "5.4"}],
        "sdgs": [{"id": "sdg11"}, {"id": "sdg10"}],
        "zenodo_communities": [{"id": "reana", "title": "REANA"}],
    },
}


def _owner_identity(email):
    """The identity of a user of this instance, as if logged in."""
    from invenio_access.permissions import any_user, authenticated_user
    from invenio_access.utils import get_identity
    from invenio_accounts.proxies import current_datastore

    user = current_datastore.get_user(email)
    if user is None:
        return None
    identity = get_identity(user)
    identity.provides.update({any_user, authenticated_user})
    return identity


def load_demo_project(dataset_id, owner_email, notebook_id=None):
    """A project of the admin around the demo dataset, accepted by a demo community."""
    from invenio_communities.proxies import current_communities
    from invenio_pidstore.errors import PIDDoesNotExistError
    from invenio_records_resources.proxies import current_service_registry
    from invenio_requests.proxies import current_requests_service

    projects = current_service_registry.get("projects")
    identity = _owner_identity(owner_email)
    if identity is None:
        yield f"no user {owner_email}: no demo project"
        return
    communities = current_communities.service
    try:
        community = communities.read(system_identity, DEMO_COMMUNITY["slug"])
        yield f"already there: community {DEMO_COMMUNITY['slug']}"
    except PIDDoesNotExistError:
        community = communities.create(identity, DEMO_COMMUNITY)
        yield f"created: community {DEMO_COMMUNITY['slug']}"

    title = DEMO_PROJECT["metadata"]["title"]
    current_search_client.indices.refresh()
    found = projects.search(system_identity, params={"q": f'metadata.title:"{title}"'})
    if found.total:
        yield f"already there: project {title}"
        return
    links = {"datasets": [{"id": dataset_id}]}
    if notebook_id:
        links["notebooks"] = [{"id": notebook_id}]
    data = {**DEMO_PROJECT, "metadata": {**DEMO_PROJECT["metadata"], **links}}
    draft = projects.create(identity, data)
    project = projects.publish(identity, draft.id)
    request = projects.submit_to_community(
        identity, project.id, community.id,
        comment="<p>A first project for the community, around the world population table.</p>")
    current_requests_service.execute_action(
        identity, request.id, "accept",
        data={"payload": {"content": "<p>Welcome!</p>", "format": "html"}})
    yield f"published: project {title} ({project.id}), accepted by {DEMO_COMMUNITY['slug']}"


def load_demo(owner_email=None):
    """Create the demo content that is not there yet; yield a line per item."""
    ids = []
    for spec in (WORLD_POPULATION, WORLD_POPULATION_NOTEBOOK):
        title = spec["metadata"]["title"]
        existing = _published_with_title(title)
        if existing:
            ids.append(existing["id"])
            yield f"already there: {title} ({existing['id']})"
            continue
        record = create_dataset(spec)
        ids.append(record.id)
        yield f"published: {title} ({record.id})"
    current_search_client.indices.refresh()
    if owner_email:
        yield from load_demo_project(ids[0], owner_email, notebook_id=ids[1])
        current_search_client.indices.refresh()
