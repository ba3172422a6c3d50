"""Fixtures of the instance-to-instance harvest: the served instance, a source community."""

import pytest
from instance_source import (
    PAGE_SIZE,
    SOURCE_SLUG,
    TARGET_SLUG,
    add_entries,
    source_payloads,
    wait_for_next_second,
)
from invenio_access.permissions import system_identity
from invenio_communities.proxies import current_communities
from invenio_rdm_records.proxies import (
    current_rdm_records_service,
    current_record_communities_service,
)
from invenio_vocabularies.proxies import current_service as vocabulary_service
from loopback import portal, portal_port, served_links  # noqa: F401


@pytest.fixture(scope="module")
def app_config(app_config, portal_port):
    """Links (and so the records' DataCite identifiers) point at the served port; pages
    of two records, so that every harvest follows resumption tokens."""
    app_config["OAISERVER_PAGE_SIZE"] = PAGE_SIZE
    return served_links(app_config, portal_port)


@pytest.fixture(scope="module")
def harvest_vocabularies_committed(app, database, resource_types_committed):
    """What InvenioRDM's DataCite answers carry beyond the common test vocabularies: the
    ``Updated`` date and the ``IsPartOf`` link to each community."""
    add_entries("datetypes", "dat", "date_types.yaml", {"updated"})
    add_entries("relationtypes", "rlt", "relation_types.yaml", {"ispartof"})
    vocabulary_service.indexer.refresh()


def _curated_community(
    UserFixture, app, database, side, slug, submission_policy, title
):
    """A user ``<side>-curator@cs4od.test`` and the public community ``slug`` she made."""
    curator = UserFixture(
        email=f"{side}-curator@cs4od.test", password=f"{side}-curator-1"
    )
    curator.create(app, database)
    community = current_communities.service.create(
        curator.identity,
        {
            "slug": slug,
            "access": {
                "visibility": "public",
                "record_submission_policy": submission_policy,
            },
            "metadata": {"title": title},
        },
    )
    return curator, community


@pytest.fixture(scope="module")
def source(
    UserFixture,
    app,
    database,
    portal,
    location,
    resource_types_committed,
    harvest_vocabularies_committed,
):
    """A community of the served instance with four published records, committed.

    The last record is published in a later second than the others, so that a
    harvest from the checkpoint of a first one (datestamps have seconds granularity,
    ``from`` is inclusive) can be told from a full harvest.
    """
    curator, community = _curated_community(
        UserFixture,
        app,
        database,
        "source",
        SOURCE_SLUG,
        "open",
        "Open population data (source)",
    )
    payloads = source_payloads()
    service = current_rdm_records_service
    records = []
    for number, payload in enumerate(payloads):
        if number == len(payloads) - 1:
            wait_for_next_second()
        draft = service.create(curator.identity, payload)
        record = service.publish(curator.identity, draft.id)
        current_record_communities_service.bulk_add(
            system_identity, str(community.id), [record.id]
        )
        # RDM reindexes a parent's records through a bulk queue: index this one now.
        service.indexer.index(service.record_cls.pid.resolve(record.id))
        records.append(service.read(system_identity, record.id).to_dict())
    database.session.commit()
    service.indexer.refresh()
    return {"community": community.to_dict(), "records": records, "curator": curator}


@pytest.fixture(scope="module")
def target(UserFixture, app, database):
    """The community of the harvesting side that the copies go into."""
    _, community = _curated_community(
        UserFixture,
        app,
        database,
        "target",
        TARGET_SLUG,
        "closed",
        "Open population data (harvested)",
    )
    database.session.commit()
    return community.to_dict()
