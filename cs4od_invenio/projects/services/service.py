"""The project service: drafts-resources' record service plus removal with a tombstone."""

from invenio_access.permissions import system_identity
from invenio_accounts.models import User
from invenio_db import db
from invenio_communities.proxies import current_communities
from invenio_drafts_resources.services.records import RecordService
from invenio_i18n import lazy_gettext as _
from invenio_pidstore.errors import PIDDoesNotExistError
from invenio_requests.proxies import current_requests_service
from invenio_records_resources.services.uow import (
    IndexRefreshOp,
    RecordCommitOp,
    RecordDeleteOp,
    unit_of_work,
)
from invenio_search.engine import dsl
from sqlalchemy.orm.exc import NoResultFound

from .components import make_tombstone
from .errors import CommunitySubmissionError, ProjectRemovedError

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

    #
    # Curation: communities
    #
    def submit_to_community(self, identity, id_, community_id, comment=None, uow=None):
        """Open a review request asking one community to include the project."""
        return self.submit_to_communities(
            identity, id_, [community_id], comment=comment, uow=uow)[0]

    @unit_of_work()
    def submit_to_communities(self, identity, id_, community_ids, comment=None, uow=None):
        """Open one review request per community, all or none.

        ``community_ids`` are UUIDs or slugs. Every community is checked before any
        request is made, and the requests are stored in one transaction: a refusal
        by one community leaves no request behind. Returns the submitted requests.
        """
        from cs4od_invenio.curation.requests import ProjectInclusionRequest

        project = self.record_cls.pid.resolve(id_)
        if project.is_removed:
            raise ProjectRemovedError(project)
        self.require_permission(identity, "manage", record=project)
        communities = []
        for community_id in community_ids:
            community = self._submission_target(identity, project, community_id)
            if any(c.id == community.id for c in communities):
                raise CommunitySubmissionError(_(
                    "%(title)s is given twice.", title=community["metadata"]["title"]))
            communities.append(community)

        creator = db.session.get(User, identity.id)
        data = {"payload": {"content": comment, "format": "html"}} if comment else None
        submitted = []
        for community in communities:
            request = current_requests_service.create(
                system_identity,
                {},
                ProjectInclusionRequest,
                receiver=community,
                creator=creator,
                topic=project,
                uow=uow,
            )
            submitted.append(current_requests_service.execute_action(
                identity, request.id, "submit", data=data, uow=uow))
        # Once committed, the owner's request list (a search) shows them at once.
        uow.register(IndexRefreshOp(indexer=current_requests_service.indexer))
        return submitted

    def _submission_target(self, identity, project, community_id):
        """The community, if this identity may submit this project to it."""
        try:
            community = current_communities.service.record_cls.pid.resolve(community_id)
        except PIDDoesNotExistError:
            raise CommunitySubmissionError(_("No community %(id)s.", id=community_id))
        service = current_communities.service
        service.require_permission(identity, "read", record=community)
        title = community["metadata"]["title"]
        if not service.check_permission(identity, "submit_record", record=community):
            # The community's "record submission policy" is closed.
            raise CommunitySubmissionError(
                _("%(title)s accepts submissions from its members only.", title=title))
        if str(community.id) in project.parent.communities.ids:
            raise CommunitySubmissionError(
                _("The project is already in %(title)s.", title=title))
        if self._open_request(project, community):
            raise CommunitySubmissionError(
                _("A request to %(title)s is already open.", title=title))
        return community

    def _open_request(self, project, community):
        from cs4od_invenio.curation.requests import ProjectInclusionRequest

        found = current_requests_service.search(
            system_identity,
            extra_filter=dsl.query.Bool(must=[
                dsl.Q("term", **{"type": ProjectInclusionRequest.type_id}),
                dsl.Q("term", **{"topic.project": project.pid.pid_value}),
                dsl.Q("term", **{"receiver.community": str(community.id)}),
                dsl.Q("term", **{"status": "submitted"}),
            ]),
        )
        return found.total > 0

    def search_requests(self, identity, id_, params=None):
        """The community requests of a project, for whoever may manage it."""
        project = self.record_cls.pid.resolve(id_)
        self.require_permission(identity, "manage", record=project)
        return current_requests_service.search(
            system_identity,
            params=params or {"sort": "newest"},
            extra_filter=dsl.Q("term", **{"topic.project": project.pid.pid_value}),
        )
