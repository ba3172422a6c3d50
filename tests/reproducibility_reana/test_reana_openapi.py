"""The stand-in's check against REANA's OpenAPI spec catches wrong answers; the REANA
module needs no web stack and writes the runner's files."""

import json
import subprocess
import sys

import pytest
from standins.reana_server import OpenAPIChecker, swagger_to_json_schema

from cs4od_invenio.reproducibility import runner, runs



@pytest.fixture(scope="module")
def checker():
    return OpenAPIChecker()


def body(document):
    return json.dumps(document).encode()


def test_a_right_answer_passes(checker):
    status = {
        "id": "1",
        "name": "w.1",
        "status": "running",
        "progress": {"run_finished_at": None, "total": {"total": 1, "job_ids": ["a"]}},
    }
    path = "/api/workflows/w.1/status"
    assert checker.check("GET", path, 200, "application/json", body(status)) == []


@pytest.mark.parametrize(
    "method, path, code, content_type, document, says",
    [
        (  # a number where the spec wants a string
            "GET",
            "/api/workflows/w/status",
            200,
            "application/json",
            {"status": 1},
            "get_workflow_status 200: status: 1 is not of type 'string'",
        ),
        (  # null only where the spec says x-nullable
            "GET",
            "/api/workflows/w/status",
            200,
            "application/json",
            {"created": None},
            "get_workflow_status 200: created: None is not of type",
        ),
        (  # a field the spec does not declare (a misspelt one)
            "GET",
            "/api/workflows/w/logs",
            200,
            "application/json",
            {"log": "x"},
            "('log' was unexpected)",
        ),
        (  # a status code the operation does not declare
            "GET",
            "/api/info",
            403,
            "application/json",
            {"message": "Token not valid."},
            "info 403: status not declared",
        ),
        (  # a content type the operation does not produce
            "GET",
            "/api/you",
            200,
            "text/html",
            {},
            "content type text/html",
        ),
        (  # a path that is no operation
            "GET",
            "/api/workflows/w/results",
            200,
            "application/json",
            {},
            "is no operation",
        ),
    ],
)
def test_a_wrong_answer_is_a_violation(
    checker, method, path, code, content_type, document, says
):
    problems = checker.check(method, path, code, content_type, body(document))
    assert len(problems) == 1 and says in problems[0], problems


def test_the_users_reana_yaml_may_carry_keys_the_spec_does_not_list(checker):
    answer = {
        "specification": {"workflow": {"type": "serial"}, "tests": {"files": []}},
        "parameters": {"anything": 1},
    }
    path = "/api/workflows/w/specification"
    assert checker.check("GET", path, 200, "application/json", body(answer)) == []


def test_file_paths_with_slashes_are_one_parameter(checker):
    operation, params = checker.match(
        "GET", "/api/workflows/w.2/workspace/outputs/plot.png"
    )
    assert operation == "download_file"
    assert params == {"workflow_id_or_name": "w.2", "file_name": "outputs/plot.png"}


def test_refs_to_definitions_are_resolved_and_nullable_allows_null():
    definitions = {
        "Size": {"type": "object", "properties": {"raw": {"type": "integer"}}},
    }
    schema = swagger_to_json_schema(
        {
            "type": "object",
            "properties": {
                "size": {"$ref": "#/definitions/Size"},
                "ended": {"type": "string", "x-nullable": True},
            },
        },
        definitions,
    )
    assert schema["properties"]["size"] == {
        "type": "object",
        "properties": {"raw": {"type": "integer"}},
        "additionalProperties": False,
    }
    assert schema["properties"]["ended"] == {
        "anyOf": [{"type": "string"}, {"type": "null"}]
    }
    with pytest.raises(ValueError, match="cannot resolve"):
        swagger_to_json_schema({"$ref": "#/definitions/Nope"}, definitions)


SCRIPT = """
import importlib, json, sys
module = importlib.import_module(sys.argv[1])
runs = sys.modules["cs4od_invenio.reproducibility.runs"]
shared = {k: getattr(runs, k) for k in ("STATES", "ACTIVE", "RUN_DIR", "STEP_MARK")}
recorded = issubclass(module.ReanaRun, runs.RecordedRun)
print(json.dumps([sorted({m.split(".")[0] for m in sys.modules}), shared, recorded]))
"""


def test_the_reana_module_loads_without_web_stack_and_shares_the_runners_names():
    output = subprocess.run(
        [sys.executable, "-c", SCRIPT, "cs4od_invenio.reproducibility.reana"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    loaded, shared, recorded = json.loads(output)
    assert not {m for m in loaded if m.startswith(("flask", "invenio", "celery"))}
    assert shared == {
        "STATES": list(runs.STATES),
        "ACTIVE": list(runs.ACTIVE),
        "RUN_DIR": runs.RUN_DIR,
        "STEP_MARK": runs.STEP_MARK,
    }
    # Local and REANA runs keep their status with the same code.
    assert recorded and issubclass(runner.LocalRun, runs.RecordedRun)
