"""The REST resource of projects: drafts-resources' routes, removal with a reason."""

from flask import g
from flask_resources import resource_requestctx, response_handler
from invenio_drafts_resources.resources import RecordResource
from invenio_records_resources.resources.records.resource import (
    request_data,
    request_headers,
    request_view_args,
)


class ProjectResource(RecordResource):
    """``/api/projects``, ``/api/projects/<id>[/draft[/actions/publish]]``, ``/api/user/projects``."""

    @request_headers
    @request_view_args
    @request_data
    @response_handler()
    def delete(self):
        """Remove a published project; an optional ``{"reason": ...}`` body is kept."""
        data = resource_requestctx.data or {}
        item = self.service.delete(
            g.identity,
            resource_requestctx.view_args["pid_value"],
            revision_id=resource_requestctx.headers.get("if_match"),
            reason=data.get("reason"),
        )
        return item.to_dict(), 200
