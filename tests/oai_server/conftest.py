"""Fixtures of the OAI-PMH tests: the project fixtures, the schemas, content, a server."""

import pytest
from loopback import portal, portal_port  # noqa: F401
from oai_checks import (
    accept_into,
    add_record_to,
    load_schemas,
    publish_dataset,
    publish_project,
    validate,
)
from projects_fixtures import *  # noqa: F401,F403


@pytest.fixture(scope="session")
def schemas():
    """The official schemas, parsed once."""
    return load_schemas()


@pytest.fixture()
def oai(client, schemas):
    """GET (or POST) /oai2d; checks HTTP 200, XML, schemas; returns the parsed answer."""

    def ask(method="get", **params):
        if method == "post":
            response = client.post("/oai2d", data=params)
        else:
            response = client.get("/oai2d", query_string=params)
        assert response.status_code == 200, response.data[:500]
        assert response.headers["Content-Type"].startswith("text/xml")
        return validate(schemas, response.data)

    return ask


@pytest.fixture()
def content(projects_service, owner, curator, community, vocabularies, resource_types,
            search_clear):
    """A dataset, a notebook, a project linking both in a community, a
    second project outside it, and a record of the community."""
    dataset = publish_dataset(owner, "Weekly deaths in Europe")
    notebook = publish_dataset(owner, "Excess deaths notebook",
                               resource_type="software-computationalnotebook")
    linked = publish_project(
        projects_service, owner, title="Excess mortality in Europe",
        datasets=[{"id": dataset.id}], notebooks=[{"id": notebook.id}],
        sdgs=[{"id": "sdg3"}], domains=[{"id": "3.3"}])
    other = publish_project(projects_service, owner, title="Air quality in cities",
                            sdgs=[{"id": "sdg11"}], domains=[{"id": "1.5"}])
    accept_into(projects_service, owner, curator, linked, community)
    add_record_to(dataset, community)
    return {"dataset": dataset, "notebook": notebook, "linked": linked, "other": other,
            "community": community}
