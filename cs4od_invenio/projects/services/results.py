"""Result classes: projects come out with their vocabulary terms and links resolved."""

from copy import deepcopy

from invenio_pidstore.errors import PIDDeletedError, PIDDoesNotExistError, PIDUnregistered
from invenio_records_resources.services.records.results import RecordItem, RecordList
from sqlalchemy.orm.exc import NoResultFound

LINK_ERRORS = (PIDDeletedError, PIDDoesNotExistError, PIDUnregistered, NoResultFound)


def dereference(record):
    """A copy of the record with the titles of its SDGs, domains and links filled in.

    A copy, because the stored record shares its nested dicts with the database
    model: filling them in place would write the titles into the table.
    """
    record = type(record)(deepcopy(dict(record)), model=record.model)
    try:
        record.relations.dereference()
    except LINK_ERRORS:  # a linked record may have been removed since: keep the ids
        for field in ("sdgs", "domains", "datasets", "notebooks"):
            try:
                getattr(record.relations, field).dereference()
            except LINK_ERRORS:
                pass
    return record


def hide_unreadable_links(identity, data, _cache=None):
    """Linked records the identity may not read show their id only.

    A public project may link a restricted dataset (its owner may read it): other
    readers of the project must not learn its title, DOI or type.
    """
    from invenio_rdm_records.proxies import current_rdm_records_service as rdm

    cache = {} if _cache is None else _cache
    metadata = data.get("metadata") or {}
    for field in ("datasets", "notebooks"):
        links = metadata.get(field) or []
        for i, link in enumerate(links):
            id_ = link.get("id")
            if id_ not in cache:
                try:
                    record = rdm.record_cls.pid.resolve(id_)
                    cache[id_] = rdm.check_permission(identity, "read", record=record)
                except LINK_ERRORS:
                    cache[id_] = False
            if not cache[id_]:
                links[i] = {"id": id_, "restricted": True}
    return data


class ProjectItem(RecordItem):
    """One project."""

    def __init__(self, service, identity, record, *args, **kwargs):
        """Resolve the relations before anything is dumped."""
        super().__init__(service, identity, dereference(record), *args, **kwargs)

    @property
    def data(self):
        """The project as the identity may see it."""
        if self._data:
            return self._data
        return hide_unreadable_links(self._identity, super().data)


class ProjectList(RecordList):
    """A page of projects: search hits already carry the resolved relations."""

    @property
    def hits(self):
        """Each hit as the identity may see it."""
        cache = {}
        for hit in super().hits:
            yield hide_unreadable_links(self._identity, hit, cache)
