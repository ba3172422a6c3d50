"""The request type that brings a project into a community."""

from invenio_drafts_resources.services.records.uow import ParentRecordCommitOp
from invenio_i18n import lazy_gettext as _
from invenio_rdm_records.requests.base import BaseRequest
from invenio_records_resources.services.uow import RecordIndexOp
from invenio_requests.customizations import actions



def _projects_service():
    from invenio_records_resources.proxies import current_service_registry

    return current_service_registry.get("projects")


class SubmitAction(actions.SubmitAction):
    """The owner submits: the request takes the project's title."""

    def execute(self, identity, uow):
        """Title the request after the project."""
        project = self.request.topic.resolve()
        self.request["title"] = project["metadata"]["title"]
        super().execute(identity, uow)


class AcceptAction(actions.AcceptAction):
    """A curator accepts: the project joins the community, in the same unit of work."""

    def execute(self, identity, uow, **kwargs):
        """Add the community to the project's parent and reindex its versions."""
        project = self.request.topic.resolve()
        community = self.request.receiver.resolve()
        project.parent.communities.add(
            community, request=self.request, default=not project.parent.communities
        )
        service = _projects_service()
        uow.register(ParentRecordCommitOp(project.parent, indexer_context={"service": service}))
        uow.register(RecordIndexOp(project, indexer=service.indexer, index_refresh=True))
        super().execute(identity, uow)


class ProjectInclusionRequest(BaseRequest):
    """Inclusion of a published project into a community.

    As InvenioRDM's own requests, it links to its page in the user dashboard
    (``links.self_html``), which the request timeline app needs.
    """

    # Stored in every request: never rename after release.
    type_id = "project-community-inclusion"
    name = _("Project inclusion")

    creator_can_be_none = False
    topic_can_be_none = False
    allowed_creator_ref_types = ["user"]
    allowed_receiver_ref_types = ["community"]
    allowed_topic_ref_types = ["project"]
    # Who decides for the community.
    needs_context = {"community_roles": ["owner", "manager", "curator"]}

    available_actions = {
        "create": actions.CreateAction,
        "submit": SubmitAction,
        "delete": actions.DeleteAction,
        "accept": AcceptAction,
        "decline": actions.DeclineAction,
        "cancel": actions.CancelAction,
        "expire": actions.ExpireAction,
    }


