"""The REST resource of projects: drafts-resources' routes, removal with a reason."""

import json

from flask import g, request
from flask_resources import resource_requestctx, response_handler, route
from invenio_drafts_resources.resources import RecordResource
from invenio_records_resources.resources.records.resource import (
    request_data,
    request_headers,
    request_search_args,
    request_view_args,
)
from marshmallow import ValidationError


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

    def create_url_rules(self):
        """drafts-resources' routes, plus the community submissions of a project."""
        routes = self.config.routes
        prefix = self.config.url_prefix
        return super().create_url_rules() + [
            route("POST", prefix + routes["item-communities"], self.submit_to_communities),
            route("GET", prefix + routes["item-requests"], self.search_requests),
            route("POST", prefix + routes["item-deposits"], self.add_deposit),
            route("POST", prefix + routes["item-zenodo-imports"], self.import_from_zenodo),
            route("GET", prefix + routes["item-zenodo-import"], self.zenodo_import_status),
        ]

    @request_view_args
    @request_data
    @response_handler()
    def import_from_zenodo(self):
        """Import a Zenodo record into the project: ``{"reference": DOI, URL or id}``.

        Answers 202 with the import's state; its ``links.self`` gives the progress.
        """
        from cs4od_invenio.datasets.importer import start_import

        data = resource_requestctx.data or {}
        reference = data.get("reference") if isinstance(data, dict) else None
        result = start_import(g.identity, reference,
                              resource_requestctx.view_args["pid_value"])
        return result, 202

    @request_view_args
    @response_handler()
    def zenodo_import_status(self):
        """State and progress of an import into the project."""
        from cs4od_invenio.datasets.importer import import_status

        return import_status(g.identity, resource_requestctx.view_args["pid_value"],
                             request.view_args["import_id"]), 200

    @request_view_args
    @response_handler()
    def add_deposit(self):
        """Deposit a dataset or notebook and link it into the project.

        ``multipart/form-data``: ``kind`` (``dataset`` or ``notebook``), ``metadata``
        (JSON: title, description, creators), and one or more ``files``.
        """
        from cs4od_invenio.datasets.deposit import add_to_project

        try:
            metadata = json.loads(request.form.get("metadata") or "{}")
        except ValueError:
            raise ValidationError({"metadata": ["Not JSON."]})
        files = [(f.filename, f.read()) for f in request.files.getlist("files")]
        record, project = add_to_project(
            g.identity,
            resource_requestctx.view_args["pid_value"],
            request.form.get("kind"),
            metadata if isinstance(metadata, dict) else {},
            files,
        )
        data = record.to_dict()
        return {
            "record": {
                "id": data["id"],
                "title": data["metadata"]["title"],
                "resource_type": data["metadata"]["resource_type"]["id"],
                "files": sorted(data["files"]["entries"]),
                "links": {k: data["links"][k] for k in ("self", "self_html")},
            },
            "project": project.to_dict(),
        }, 201

    @request_view_args
    @request_data
    @response_handler(many=True)
    def submit_to_communities(self):
        """Ask communities to include the project: one review request each.

        Body: ``{"communities": [{"id": "<uuid or slug>"}], "comment": "<p>...</p>"}``.
        """
        data = resource_requestctx.data or {}
        communities = data.get("communities")
        if not isinstance(communities, list) or not communities or not all(
            isinstance(c, dict) and c.get("id") for c in communities
        ):
            raise ValidationError(
                {"communities": ["Give at least one community as {\"id\": ...}."]}
            )
        pid_value = resource_requestctx.view_args["pid_value"]
        created = [
            request.to_dict()
            for request in self.service.submit_to_communities(
                g.identity,
                pid_value,
                [community["id"] for community in communities],
                comment=data.get("comment"),
            )
        ]
        return {"hits": {"hits": created, "total": len(created)}}, 201

    @request_view_args
    @request_search_args
    @response_handler(many=True)
    def search_requests(self):
        """The project's community requests and their state, for its owner."""
        result = self.service.search_requests(
            g.identity,
            resource_requestctx.view_args["pid_value"],
            params=resource_requestctx.args,
        )
        return result.to_dict(), 200
