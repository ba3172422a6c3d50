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


class ProjectItem(RecordItem):
    """One project."""

    def __init__(self, service, identity, record, *args, **kwargs):
        """Resolve the relations before anything is dumped."""
        super().__init__(service, identity, dereference(record), *args, **kwargs)


class ProjectList(RecordList):
    """A page of projects: search hits already carry the resolved relations."""
