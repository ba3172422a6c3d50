"""Helpers shared by the test folders: payloads as API clients send them, tokens."""


def dataset_payload(title):
    """A minimal, valid RDM dataset as a depositor would send it."""
    return {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": True},
        "metadata": {
            "resource_type": {"id": "dataset"},
            "title": title,
            "publication_date": "2020-06-01",
            "creators": [
                {
                    "person_or_org": {
                        "type": "personal",
                        "given_name": "Ada",
                        "family_name": "Lovelace",
                    }
                }
            ],
            "description": "<p>Share of the world population by region.</p>",
            "publisher": "CS4OD",
        },
    }


def project_data(**metadata):
    """A complete project as a client sends it; keywords replace metadata fields."""
    data = {
        "access": {"record": "public"},
        "metadata": {
            "title": "Excess mortality in Europe",
            "description": "<p>Weekly deaths before and during the pandemic.</p>",
            "tags": ["mortality", "covid-19"],
            "domains": [{"id": "3.3"}],
            "sdgs": [{"id": "sdg3"}],
            "zenodo_communities": [{"id": "covid-19", "title": "Coronavirus Disease Research Community"}],
            "creators": [{
                "person_or_org": {
                    "type": "personal", "given_name": "Josiah", "family_name": "Carberry",
                    "identifiers": [{"scheme": "orcid", "identifier": "0000-0002-1825-0097"}],
                },
                "affiliations": [{"name": "Brown University"}],
            }],
        },
    }
    data["metadata"].update(metadata)
    return data


def token_for(user, db):
    """A personal access token of any user."""
    from invenio_oauth2server.models import Token

    token = Token.create_personal("cs4od-tests", user.id, scopes=[], is_internal=False)
    db.session.commit()
    return token.access_token


def log_in(page, portal, user):
    """Log a user in through the portal's login form (browser tests)."""
    page.goto(portal + "/login/")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", user.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("form[name=login_user_form]").count() == 0, "login failed"


def publish_with_files(identity, files, title=None, access="public",
                       resource_type="dataset"):
    """Publish an RDM record holding ``files`` ({key: bytes}) through the service; its id."""
    import io

    from invenio_rdm_records.proxies import current_rdm_records_service as rdm

    payload = dataset_payload(title or next(iter(files)))
    payload["access"] = {"record": access, "files": access}
    payload["metadata"]["resource_type"] = {"id": resource_type}
    draft = rdm.create(identity, payload)
    rdm.draft_files.init_files(identity, draft.id, [{"key": key} for key in files])
    for key, content in files.items():
        rdm.draft_files.set_file_content(identity, draft.id, key, io.BytesIO(content))
        rdm.draft_files.commit_file(identity, draft.id, key)
    return rdm.publish(identity, draft.id).id


def link_into_project(projects_service, owner, project_id, datasets=(), notebooks=()):
    """Publish the owner's project ``project_id`` again, linking these record ids."""
    draft = projects_service.edit(owner.identity, project_id).to_dict()
    metadata = draft["metadata"]
    metadata.update(datasets=[{"id": i} for i in datasets],
                    notebooks=[{"id": i} for i in notebooks])
    # Vocabulary fields go back as ids (the read form carries their titles).
    for field in ("sdgs", "domains"):
        metadata[field] = [{"id": x["id"]} for x in metadata.get(field, [])]
    projects_service.update_draft(owner.identity, project_id, {
        "metadata": metadata, "access": draft["access"]})
    projects_service.publish(owner.identity, project_id)


def community_record_ids(slug):
    """Ids of the records of the community ``slug``, as a search finds them now."""
    from invenio_access.permissions import system_identity
    from invenio_communities.proxies import current_communities
    from invenio_rdm_records.proxies import current_rdm_records_service

    community = current_communities.service.read(system_identity, slug)
    current_rdm_records_service.indexer.refresh()
    found = current_rdm_records_service.search(
        system_identity, params={"q": f"parent.communities.ids:{community.id}", "size": 100})
    return {hit["id"] for hit in found.hits}



def _data_file(*parts):
    from pathlib import Path

    return Path(__file__).parent.joinpath("data", *parts)


WORLDPOPULATION_CSV = _data_file("World_historical_and_predicted_populations_in_percentage.csv")
WORLDPOPULATION_NOTEBOOK = _data_file("reana", "worldpopulation", "code", "worldpopulation.ipynb")


def link_worldpopulation(projects_service, owner, project_id):
    """Publish the worldpopulation table (a dataset) and notebook as the owner's
    records, link them into the project ``project_id`` and refresh the projects index;
    the dataset's id."""
    from projects_fixtures import refresh

    table, notebook = WORLDPOPULATION_CSV, WORLDPOPULATION_NOTEBOOK
    dataset = publish_with_files(owner.identity, {table.name: table.read_bytes()},
                                 table.name)
    code = publish_with_files(owner.identity, {notebook.name: notebook.read_bytes()},
                              notebook.name, resource_type="software-computationalnotebook")
    link_into_project(projects_service, owner, project_id,
                      datasets=[dataset], notebooks=[code])
    refresh()
    return dataset

def closed_port_url():
    """The URL of a loopback port nobody listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
