"""Who may do what with a project: anonymous, stranger, owner, curator, admin."""

import pytest
from flask_principal import Identity
from invenio_access.permissions import any_user
from invenio_communities.proxies import current_communities
from invenio_db import db

from projects_fixtures import refresh
from helpers import project_data

ROLES = ("anonymous", "stranger", "owner", "curator", "admin")


def _anonymous():
    identity = Identity(None)
    identity.provides.add(any_user)
    return identity


@pytest.fixture()
def identities(owner, stranger, curator, admin, community):
    """One identity per role; the curator curates the project's community."""
    return {
        "anonymous": _anonymous(),
        "stranger": stranger.identity,
        "owner": owner.identity,
        "curator": curator.identity,
        "admin": admin.identity,
    }


def _publish(service, owner, access, community=None):
    data = project_data(title=f"A {access} project")
    data["access"] = {"record": access}
    draft = service.create(owner.identity, data)
    project = service.publish(owner.identity, draft.id)
    record = service.record_cls.pid.resolve(project.id)
    if community is not None:
        # What accepting the project into the community does (curation requests).
        community_record = current_communities.service.record_cls.pid.resolve(community.id)
        record.parent.communities.add(community_record, default=False)
        record.parent.commit()
        record.commit()
        db.session.commit()
        service.indexer.index(record)
    return record


@pytest.fixture()
def projects(projects_service, owner, identities, community, vocabularies, search_clear):
    """A public project and a restricted one accepted into the curator's community."""
    public = _publish(projects_service, owner, "public")
    restricted = _publish(projects_service, owner, "restricted", community)
    refresh()
    return {"public": public, "restricted": restricted}


# (action, project) → roles allowed
MATRIX = {
    ("read", "public"): ROLES,
    ("read", "restricted"): ("owner", "curator", "admin"),
    ("search_versions", "restricted"): ("owner", "curator", "admin"),
    ("read_draft", "public"): ("owner", "admin"),
    ("edit", "public"): ("owner", "admin"),
    ("edit", "restricted"): ("owner", "admin"),
    ("update_draft", "public"): ("owner", "admin"),
    ("publish", "public"): ("owner", "admin"),
    ("new_version", "public"): ("owner", "admin"),
    ("delete_draft", "public"): ("owner", "admin"),
    ("delete", "public"): ("owner", "admin"),
    ("delete", "restricted"): ("owner", "admin"),
}


@pytest.mark.parametrize("action, which", sorted(MATRIX))
def test_permission_matrix(projects_service, identities, projects, action, which):
    """Every role against every action on a public and a restricted project."""
    record = projects[which]
    allowed = {
        role for role in ROLES
        if projects_service.check_permission(identities[role], action, record=record)
    }
    assert allowed == set(MATRIX[(action, which)])


def test_create_needs_an_account(projects_service, identities):
    """Anyone logged in may start a project; anonymous visitors may not."""
    allowed = {r for r in ROLES if projects_service.check_permission(identities[r], "create")}
    assert allowed == {"stranger", "owner", "curator", "admin"}


def test_search_shows_each_role_what_it_may_read(projects_service, identities, projects):
    """Search filters by the same rules as reading."""
    seen = {
        role: sorted(
            hit["metadata"]["title"]
            for hit in projects_service.search(identities[role]).to_dict()["hits"]["hits"]
        )
        for role in ROLES
    }
    both = ["A public project", "A restricted project"]
    assert seen == {
        "anonymous": ["A public project"],
        "stranger": ["A public project"],
        "owner": both,
        "curator": both,
        "admin": both,
    }
