"""How invenio-requests refers to projects: ``{"project": "<id>"}``."""

from invenio_records_resources.references.entity_resolvers import RecordResolver

from ..projects.records import Project, ProjectDraft


class ProjectResolver(RecordResolver):
    """Resolve the topic of project requests to the published project."""

    type_id = "project"

    def __init__(self):
        """Published projects, by PID, served by the ``projects`` service."""
        super().__init__(Project, "projects", type_key=self.type_id)

    def matches_entity(self, entity):
        """Drafts and published projects share their PID."""
        return isinstance(entity, (Project, ProjectDraft))
