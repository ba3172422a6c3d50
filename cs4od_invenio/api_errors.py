"""JSON error answers of CS4OD's plain Flask API blueprints (as the resources give)."""

from flask import jsonify
from invenio_pidstore.errors import PIDDeletedError, PIDDoesNotExistError
from invenio_records_resources.services.errors import (
    PermissionDeniedError,
    RecordPermissionDeniedError,
)
from marshmallow import ValidationError


def register_json_errors(blueprint):
    """400 with field messages, 403, 404 and aborts as ``{"status", "message"}``."""

    @blueprint.errorhandler(ValidationError)
    def invalid(error):
        messages = error.messages if isinstance(error.messages, dict) else {
            "_schema": error.messages}
        return jsonify({"status": 400, "message": "A validation error occurred.",
                        "errors": [{"field": field, "messages": list(msgs)}
                                   for field, msgs in messages.items()]}), 400

    @blueprint.errorhandler(PermissionDeniedError)
    @blueprint.errorhandler(RecordPermissionDeniedError)
    def denied(error):
        return jsonify({"status": 403, "message": "Permission denied."}), 403

    @blueprint.errorhandler(PIDDoesNotExistError)
    @blueprint.errorhandler(PIDDeletedError)
    def missing(error):
        return jsonify({"status": 404, "message": "Not found."}), 404

    @blueprint.errorhandler(403)
    @blueprint.errorhandler(404)
    def aborted(error):
        return jsonify({"status": error.code, "message": error.description}), error.code
