"""Project fixtures shared by tests/projects and tests/curation: roles, vocabularies, a dataset, a community."""

import pytest
from invenio_access.permissions import superuser_access, system_identity
from invenio_accounts.proxies import current_datastore
from invenio_communities.proxies import current_communities
from invenio_db import db as _db
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_access.models import ActionRoles

from invenio_search.proxies import current_search
from cs4od_invenio.vocabularies import load_vocabularies
from helpers import dataset_payload, project_data


@pytest.fixture()
def projects_service(app):
    """The project service as registered in the app."""
    from invenio_records_resources.proxies import current_service_registry

    return current_service_registry.get("projects")


@pytest.fixture()
def vocabularies(app, db):
    """SDGs and scientific domains, from the shipped fixture files."""
    return load_vocabularies()


def _user(UserFixture, app, db, email):
    user = UserFixture(email=email, password="password-" + email.split("@")[0])
    user.create(app, db)
    return user


@pytest.fixture()
def stranger(UserFixture, app, db):
    """A logged-in user with no relation to the project."""
    return _user(UserFixture, app, db, "stranger@example.org")


@pytest.fixture()
def curator(UserFixture, app, db):
    """A user who will curate the community."""
    return _user(UserFixture, app, db, "curator@example.org")


@pytest.fixture()
def admin(UserFixture, app, db):
    """A superuser, as the admin role of the instance."""
    user = _user(UserFixture, app, db, "admin@example.org")
    role = current_datastore.find_role("admin") or current_datastore.create_role(
        id="admin", name="admin"
    )
    db.session.add(ActionRoles.allow(superuser_access, role=role))
    current_datastore.add_role_to_user(user.user, role)
    db.session.commit()
    return user


@pytest.fixture()
def community(app, db, owner, curator, location):
    """A public community whose curator is ``curator``."""
    service = current_communities.service
    item = service.create(owner.identity, {
        "slug": "open-health",
        "access": {"visibility": "public", "members_visibility": "public",
                   "record_submission_policy": "open"},
        "metadata": {"title": "Open health data"},
    })
    service.members.add(system_identity, item.id, {
        "members": [{"type": "user", "id": str(curator.id)}], "role": "curator",
    })
    # Identities must be loaded after the memberships exist.
    del curator.identity
    del owner.identity
    service.indexer.refresh()
    return item


@pytest.fixture()
def dataset(app, db, owner, location, resource_types, search_clear):
    """A published public dataset of the owner."""
    service = current_rdm_records_service
    payload = {**dataset_payload("Weekly deaths in Europe"), "files": {"enabled": False}}
    draft = service.create(owner.identity, payload)
    record = service.publish(owner.identity, draft.id)
    service.indexer.refresh()
    return record


@pytest.fixture()
def restricted_dataset(app, db, owner, location, resource_types, search_clear):
    """A published dataset only its owner can read."""
    service = current_rdm_records_service
    payload = dataset_payload("Hospital admissions (restricted)")
    payload["access"] = {"record": "restricted", "files": "restricted"}
    payload["files"] = {"enabled": False}
    draft = service.create(owner.identity, payload)
    return service.publish(owner.identity, draft.id)


@pytest.fixture()
def published_project(projects_service, owner, vocabularies, search_clear):
    """A public project of the owner, published."""
    draft = projects_service.create(owner.identity, project_data())
    project = projects_service.publish(owner.identity, draft.id)
    refresh()
    return project


def refresh():
    """Make the last writes to projects and drafts visible to search."""
    current_search.flush_and_refresh("projects")


@pytest.fixture()
def system():
    """The identity of background processes."""
    return system_identity
