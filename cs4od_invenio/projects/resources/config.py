"""REST API of projects: ``/api/projects``."""

import json

from flask_resources import HTTPJSONException, create_error_handler
from invenio_drafts_resources.resources import RecordResourceConfig
from invenio_records_resources.services.base.config import ConfiguratorMixin

from ..services.errors import CommunitySubmissionError, ProjectRemovedError


class ProjectRemovedException(HTTPJSONException):
    """410 Gone, with the tombstone of the project."""

    def __init__(self, error):
        """Say who removed the project, when and why."""
        super().__init__(code=410, description=str(error))
        self.tombstone = dict(error.record.get("tombstone") or {})
        self.project_id = error.record.pid.pid_value

    def get_body(self, environ=None, scope=None):
        """The usual error body plus the project id and its tombstone."""
        body = json.loads(super().get_body(environ, scope))
        body.update(id=self.project_id, tombstone=self.tombstone)
        return json.dumps(body)


class ProjectResourceConfig(RecordResourceConfig, ConfiguratorMixin):
    """Routes and error mapping of ``/api/projects``."""

    blueprint_name = "projects"
    url_prefix = "/projects"

    routes = {
        **RecordResourceConfig.routes,
        "item-communities": "/<pid_value>/communities",
        "item-requests": "/<pid_value>/requests",
        "item-deposits": "/<pid_value>/deposits",
        "item-zenodo-imports": "/<pid_value>/zenodo-imports",
        "item-zenodo-import": "/<pid_value>/zenodo-imports/<import_id>",
    }

    error_handlers = {
        **RecordResourceConfig.error_handlers,
        ProjectRemovedError: create_error_handler(ProjectRemovedException),
        CommunitySubmissionError: create_error_handler(
            lambda e: HTTPJSONException(code=400, description=str(e.message))
        ),
    }
