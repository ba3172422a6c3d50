"""REST endpoints of a project's reproducibility (API app).

``GET/PUT/DELETE /api/projects/<id>/reproducibility``: the reana.yaml (generated, or
the owner's edited one; DELETE goes back to the generated one);
``POST .../reproducibility/validate``: reana-client's checks on a text;
``GET .../reproducibility/bundle.zip``: the reproducible bundle;
``GET/POST /api/projects/<id>/runs``, ``GET .../runs/<run>``,
``GET .../runs/<run>/files/<output>``: runs on the local runner and their outputs.
"""

import tempfile
import uuid

from flask import Blueprint, abort, after_this_request, g, jsonify, request, send_file

from ..api_errors import register_json_errors
from . import service
from .models import ReproducibleRun


def _text():
    data = request.get_json(silent=True) or {}
    text = data.get("reana_yaml") if isinstance(data, dict) else None
    if not isinstance(text, str) or not text.strip():
        from marshmallow import ValidationError

        raise ValidationError({"reana_yaml": ["Give the reana.yaml text."]})
    return text


def create_api_blueprint(app):
    """The blueprint of the reproducibility endpoints."""
    blueprint = Blueprint("cs4od_reproducibility_api", __name__)
    register_json_errors(blueprint)
    base = "/projects/<pid_value>/reproducibility"

    @blueprint.route(base)
    def read_spec(pid_value):
        _spec, text, generated, problem = service.specification(g.identity, pid_value)
        return jsonify({"reana_yaml": text, "generated": generated, "problem": problem})

    @blueprint.route(base, methods=["PUT"])
    def save_spec(pid_value):
        return jsonify({"validation": service.save(g.identity, pid_value, _text())})

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
        row = service.start_run(g.identity, pid_value)
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

    return blueprint


def _run(pid_value, run_id):
    try:
        row = ReproducibleRun.query.get(uuid.UUID(run_id))
    except ValueError:
        row = None
    if row is None or row.project_id != pid_value:
        abort(404, "No such run of this project.")
    return row
