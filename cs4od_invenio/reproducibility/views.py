"""REST endpoints of a project's reproducibility (API app).

``GET/PUT/DELETE /api/projects/<id>/reproducibility``: the reana.yaml (generated, or
the owner's edited one; DELETE goes back to the generated one);
``POST .../reproducibility/validate``: reana-client's checks on a text;
``GET .../reproducibility/bundle.zip``: the reproducible bundle;
``GET/POST /api/projects/<id>/runs`` (``{"runner": "local"/"reana"}``),
``GET .../runs/<run>``, ``GET .../runs/<run>/files/<output>``: runs on the local runner
or on the configured REANA server, and their outputs;
``GET/PUT/DELETE /api/user/reana-token``: whether the signed-in user's REANA access
token is set and since when (never the token); set or replace it; remove it.
"""

import tempfile
import uuid

from flask import Blueprint, abort, after_this_request, g, jsonify, request, send_file
from flask_login import current_user
from marshmallow import ValidationError

from ..api_errors import register_json_errors
from . import service, tokens
from .models import ReproducibleRun
from .spec import WORKFLOW_TYPES


def _body():
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def _text(data=None):
    text = (_body() if data is None else data).get("reana_yaml")
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({"reana_yaml": ["Give the reana.yaml text."]})
    return text


def _signed_in():
    if not current_user.is_authenticated:
        abort(401, "Sign in first.")
    return current_user.id


def create_api_blueprint(app):
    """The blueprint of the reproducibility endpoints."""
    blueprint = Blueprint("cs4od_reproducibility_api", __name__)
    register_json_errors(blueprint)
    base = "/projects/<pid_value>/reproducibility"

    @blueprint.route(base)
    def read_spec(pid_value):
        _spec, text, generated, problem = service.specification(g.identity, pid_value)
        return jsonify({
            "reana_yaml": text, "generated": generated, "problem": problem,
            "workflow": service.workflow_type(pid_value),
            "workflow_types": list(WORKFLOW_TYPES),
            "runners": ["reana", "local"] if tokens.reana_server() else ["local"],
        })

    @blueprint.route(base, methods=["PUT"])
    def save_spec(pid_value):
        """``{"workflow": "serial"/"cwl"}`` and/or ``{"reana_yaml": text}``."""
        data, answer = _body(), {}
        if "workflow" in data:
            service.set_workflow_type(g.identity, pid_value, data["workflow"])
            answer["workflow"] = data["workflow"]
        if "reana_yaml" in data or not answer:
            answer["validation"] = service.save(g.identity, pid_value, _text(data))
        return jsonify(answer)

    @blueprint.route(base, methods=["DELETE"])
    def reset_spec(pid_value):
        service.reset(g.identity, pid_value)
        return "", 204

    @blueprint.route(base + "/validate", methods=["POST"])
    def validate_spec(pid_value):
        return jsonify(service.validate(g.identity, pid_value, _text()))

    @blueprint.route(base + "/bundle.zip")
    def bundle(pid_value):
        handle = tempfile.NamedTemporaryFile(prefix="cs4od-bundle-", suffix=".zip")
        service.bundle(g.identity, pid_value, handle.name)
        after_this_request(lambda response: handle.close() or response)
        return send_file(handle.name, mimetype="application/zip", as_attachment=True,
                         download_name=f"{pid_value}-reproducible.zip")

    @blueprint.route("/projects/<pid_value>/runs")
    def list_runs(pid_value):
        return jsonify({"hits": [service.run_dict(r)
                                 for r in service.runs(g.identity, pid_value)]})

    @blueprint.route("/projects/<pid_value>/runs", methods=["POST"])
    def start_run(pid_value):
        runner = _body().get("runner")
        row = service.start_run(g.identity, pid_value, runner=runner)
        return jsonify(service.run_dict(row)), 202

    @blueprint.route("/projects/<pid_value>/runs/<run_id>")
    def read_run(pid_value, run_id):
        service.runs(g.identity, pid_value)  # permission to read the project
        row = _run(pid_value, run_id)
        return jsonify(service.run_dict(row))

    @blueprint.route("/projects/<pid_value>/runs/<run_id>/files/<path:path>")
    def run_file(pid_value, run_id, path):
        try:
            local = service.output_file(g.identity, pid_value, uuid.UUID(run_id), path)
        except ValueError:
            local = None
        if local is None or not local.is_file():
            abort(404, "No such output of this run.")
        return send_file(local, download_name=local.name)

    @blueprint.route("/user/reana-token")
    def read_token():
        return jsonify(tokens.token_status(_signed_in()))

    @blueprint.route("/user/reana-token", methods=["PUT"])
    def set_token():
        return jsonify(tokens.set_token(_signed_in(), _body().get("token")))

    @blueprint.route("/user/reana-token", methods=["DELETE"])
    def remove_token():
        return jsonify(tokens.remove_token(_signed_in()))

    @blueprint.errorhandler(401)
    def unauthorized(error):
        return jsonify({"status": 401, "message": error.description}), 401

    return blueprint


def _run(pid_value, run_id):
    try:
        row = ReproducibleRun.query.get(uuid.UUID(run_id))
    except ValueError:
        row = None
    if row is None or row.project_id != pid_value:
        abort(404, "No such run of this project.")
    return row
