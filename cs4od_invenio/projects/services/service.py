"""The project service: drafts-resources' record service plus removal with a tombstone."""

from invenio_drafts_resources.services.records import RecordService
from invenio_records_resources.services.uow import (
    RecordCommitOp,
    RecordDeleteOp,
    unit_of_work,
)
from invenio_search.engine import dsl
from sqlalchemy.orm.exc import NoResultFound

from .components import make_tombstone
from .errors import ProjectRemovedError

NOT_REMOVED = ~dsl.Q("exists", field="tombstone")


class ProjectService(RecordService):
    """Create, edit, publish, search and remove projects."""

    def read(self, identity, id_, expand=False, action="read", **kwargs):
        """A removed project answers with its tombstone (HTTP 410)."""
        record = self.record_cls.pid.resolve(id_)
        if record.is_removed:
            raise ProjectRemovedError(record)
        return super().read(identity, id_, expand=expand, action=action, **kwargs)

    def search(self, identity, params=None, search_preference=None, expand=False,
               extra_filter=None, **kwargs):
        """Published projects the identity may read, removed ones left out."""
        query = NOT_REMOVED & extra_filter if extra_filter is not None else NOT_REMOVED
        return super().search(identity, params=params, search_preference=search_preference,
                              expand=expand, extra_filter=query, **kwargs)

    def search_drafts(self, identity, params=None, search_preference=None, expand=False,
                      extra_filter=None, **kwargs):
        """The identity's drafts and projects, removed ones left out."""
        query = NOT_REMOVED & extra_filter if extra_filter is not None else NOT_REMOVED
        return super().search_drafts(identity, params=params,
                                     search_preference=search_preference, expand=expand,
                                     extra_filter=query, **kwargs)

    @unit_of_work()
    def delete(self, identity, id_, revision_id=None, reason=None, uow=None, **kwargs):
        """Remove a published project: keep it stored, show a tombstone instead.

        An open draft of the project is discarded; the published metadata stays in
        the database (and in the index, hidden from search) so nothing is lost.
        """
        record = self.record_cls.pid.resolve(id_)
        if record.is_removed:
            raise ProjectRemovedError(record)
        self.check_revision_id(record, revision_id)
        self.require_permission(identity, "delete", record=record)

        try:
            draft = self.draft_cls.get_record(record.id)
        except NoResultFound:
            draft = None
        if draft is not None:
            uow.register(RecordDeleteOp(draft, indexer=self.draft_indexer, index_refresh=True))

        record.tombstone = make_tombstone(identity, reason)
        uow.register(RecordCommitOp(record, indexer=self.indexer, index_refresh=True))
        return self.result_item(self, identity, record, links_tpl=self.links_item_tpl)
