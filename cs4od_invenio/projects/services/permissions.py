"""Who may do what with projects."""

from invenio_rdm_records.services.generators import RecordCommunitiesAction
from invenio_records_permissions.generators import (
    AnyUser,
    AuthenticatedUser,
    SystemProcess,
)
from invenio_records_permissions.policies.records import RecordPermissionPolicy

from .generators import IfPublic, ProjectOwner

# Superusers (the admin role) are allowed every action by invenio-access itself.
owner = [ProjectOwner(), SystemProcess()]
readers = [
    IfPublic(else_=[ProjectOwner(), RecordCommunitiesAction("curate")]),
    SystemProcess(),
]


class ProjectPermissionPolicy(RecordPermissionPolicy):
    """Owners edit their projects; public projects are readable by anyone.

    Restricted projects are readable by their owner and by the curators, managers and
    owners of the communities the project belongs to.
    """

    can_search = [AnyUser(), SystemProcess()]
    can_create = [AuthenticatedUser(), SystemProcess()]
    can_read = readers
    can_search_versions = readers
    can_update = owner
    can_delete = owner

    # Drafts: only the owner works on them.
    can_search_drafts = [AuthenticatedUser(), SystemProcess()]
    can_read_draft = owner
    can_update_draft = owner
    can_delete_draft = owner
    can_edit = owner
    can_new_version = owner
    can_publish = owner
    can_manage = owner
