"""REST endpoints of tabular previews (API app).

``GET /api/records/<id>/previews``: the preview of each tabular file of the record
(made on publication; a file that has none yet gets its task queued now).
``POST /api/records/<id>/previews/<key>``: make a file's preview again (after a
failure, or when a worker died).
"""

from flask import Blueprint, abort, g, jsonify
from invenio_db import db
from invenio_pidstore.errors import PIDDeletedError, PIDDoesNotExistError
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_records_resources.services.errors import (
    PermissionDeniedError,
    RecordPermissionDeniedError,
)

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

    @blueprint.errorhandler(403)
    @blueprint.errorhandler(404)
    def json_error(error):
        return jsonify({"status": error.code, "message": error.description}), error.code

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

    return blueprint
