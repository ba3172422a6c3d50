"""REST endpoints of tabular previews and of a project's explorations (API app).

``GET /api/records/<id>/previews``: the preview of each tabular file of the record
(made on publication; a file that has none yet gets its task queued now).
``POST /api/records/<id>/previews/<key>``: make a file's preview again (after a
failure, or when a worker died).
"""

from flask import Blueprint, Response, abort, g, jsonify, request
from invenio_db import db
from invenio_pidstore.errors import PIDDeletedError, PIDDoesNotExistError
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_records_resources.services.errors import (
    PermissionDeniedError,
    RecordPermissionDeniedError,
)

from ..api_errors import register_json_errors
from .models import TabularPreview
from .service import schedule, status, tabular_files


def _readable_record(pid_value):
    """The record as the requester may see it, or 404/403 as JSON."""
    service = current_rdm_records_service
    try:
        item = service.read(g.identity, pid_value)
        service.require_permission(g.identity, "read_files", record=item._record)
    except (PIDDoesNotExistError, PIDDeletedError):
        abort(404, "No such record.")
    except (PermissionDeniedError, RecordPermissionDeniedError):
        abort(403, "You may not read the files of this record.")
    return item.to_dict()


def _queue(pid_value, keys):
    from .tasks import make_preview

    db.session.commit()
    for key in keys:
        make_preview.delay(pid_value, key)


def create_api_blueprint(app):
    """The blueprint of the preview endpoints."""
    blueprint = Blueprint("cs4od_previews_api", __name__)

    register_json_errors(blueprint)

    @blueprint.route("/records/<pid_value>/previews")
    def list_previews(pid_value):
        record = _readable_record(pid_value)
        _queue(pid_value, schedule(pid_value, record))
        rows = {r.file_key: r for r in TabularPreview.query.filter_by(record_id=pid_value)}
        hits = [status(rows[key]) for key in sorted(tabular_files(record)) if key in rows]
        return jsonify({"record_id": pid_value, "hits": hits})

    @blueprint.route("/records/<pid_value>/previews/<path:key>", methods=["POST"])
    def make_again(pid_value, key):
        record = _readable_record(pid_value)
        if key not in tabular_files(record):
            abort(404, f"{key} is not a table of this record.")
        row = TabularPreview.query.filter_by(record_id=pid_value, file_key=key).one_or_none()
        if row is not None and row.status == "failed":
            row.status = "pending"  # asked again: try once more even if content is the same
            row.checksum = None
        _queue(pid_value, schedule(pid_value, record))
        row = TabularPreview.query.filter_by(record_id=pid_value, file_key=key).one()
        return jsonify(status(row)), 202

    _exploration_routes(blueprint)
    return blueprint


def _exploration_or_404(pid_value, exploration_id, action="read"):
    import uuid

    from . import explorations

    try:
        row = explorations.get(g.identity, pid_value, uuid.UUID(exploration_id), action)
    except ValueError:
        row = None
    if row is None:
        abort(404, "No such exploration on this project.")
    if not explorations.readable(g.identity, row):
        abort(403, "You may not read the tables this exploration is made of.")
    return row


def _exploration_routes(blueprint):
    """``/api/projects/<id>/explorations[/<eid>[/chart.svg|chart.png|code.py]]``."""
    from invenio_app import talisman

    from . import explorations
    from .engine import TabularError, render

    base = "/projects/<pid_value>/explorations"

    @blueprint.route(base)
    def list_explorations(pid_value):
        return jsonify({"hits": explorations.visible(g.identity, pid_value)})

    @blueprint.route(base, methods=["POST"])
    def create_exploration(pid_value):
        row = explorations.create(g.identity, pid_value, request.get_json(silent=True))
        return jsonify(explorations.to_dict(row, g.identity)), 202

    @blueprint.route(base + "/<exploration_id>")
    def read_exploration(pid_value, exploration_id):
        row = _exploration_or_404(pid_value, exploration_id)
        return jsonify(explorations.to_dict(row, g.identity))

    @blueprint.route(base + "/<exploration_id>", methods=["DELETE"])
    def delete_exploration(pid_value, exploration_id):
        _exploration_or_404(pid_value, exploration_id, action="manage")
        explorations.delete(g.identity, pid_value, exploration_id)
        return "", 204

    @blueprint.route(base + "/<exploration_id>/chart.<any(svg, png):fmt>")
    # The SVG holds text from the data: opened as a page, nothing in it may run.
    @talisman(content_security_policy={"default-src": "'none'",
                                       "style-src": "'unsafe-inline'"})
    def chart_image(pid_value, exploration_id, fmt):
        row = _exploration_or_404(pid_value, exploration_id)
        if row.kind != "chart" or row.status != "succeeded":
            abort(404, "This exploration has no chart (yet).")
        if fmt == "svg":
            body, mimetype = row.result["svg"].encode("utf-8"), "image/svg+xml"
        else:
            try:
                body, mimetype = render(row.result["vega_lite"], "png"), "image/png"
            except TabularError as error:
                abort(404, error.message)
        response = Response(body, mimetype=mimetype)
        response.headers["Content-Disposition"] = f"inline; filename=chart.{fmt}"
        return response

    @blueprint.route(base + "/<exploration_id>/code.py")
    def exploration_code(pid_value, exploration_id):
        row = _exploration_or_404(pid_value, exploration_id)
        if not row.code:
            abort(404, "This exploration has no code (yet).")
        return Response(row.code, mimetype="text/x-python",
                        headers={"Content-Disposition": "inline; filename=code.py"})
