"""Permission generators of projects."""

from invenio_access.permissions import any_user
from invenio_records_permissions.generators import Generator
from invenio_search.engine import dsl
from flask_principal import UserNeed


class ProjectOwner(Generator):
    """The user who created the project (stored on its parent)."""

    def needs(self, record=None, **kwargs):
        """The owner's user need; nobody when there is no record to look at."""
        if record is None:
            return []
        owner = (record.parent.get("access") or {}).get("owned_by") or {}
        return [UserNeed(int(owner["user"]))] if owner.get("user") else []

    def query_filter(self, identity=None, **kwargs):
        """Projects owned by the identity."""
        users = [str(n.value) for n in identity.provides if n.method == "id"]
        if users:
            return dsl.Q("terms", **{"parent.access.owned_by.user": users})
        return []


class IfPublic(Generator):
    """Anyone for public projects, the ``else_`` generators for restricted ones."""

    def __init__(self, else_):
        """Generators that grant access to a restricted project."""
        self.else_ = else_

    def _is_public(self, record):
        return (record.get("access") or {}).get("record", "public") == "public"

    def needs(self, record=None, **kwargs):
        """Any user for a public project, else the needs of ``else_``."""
        if record is not None and self._is_public(record):
            return [any_user]
        return [n for g in self.else_ for n in g.needs(record=record, **kwargs)]

    def excludes(self, record=None, **kwargs):
        """Nothing is excluded."""
        return []

    def query_filter(self, identity=None, **kwargs):
        """Public projects, or restricted ones the ``else_`` generators let through."""
        query = dsl.Q("term", **{"access.record": "public"})
        for generator in self.else_:
            other = generator.query_filter(identity=identity, **kwargs)
            if other:
                query |= other
        return query
