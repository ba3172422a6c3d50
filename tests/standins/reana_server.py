"""A local REANA server for reana-client 0.9.6, checked against REANA's OpenAPI spec.

It implements the REST operations that reana-client's commands call (operation ids of
``reana_commons/openapi_specifications/reana_server.json``):

========================  ==============================================================
reana-client command      operations
========================  ==============================================================
``ping``                  ``get_you``
``create -w N -f F``      ``info`` (compute backends, workspaces), ``create_workflow``,
                          then ``upload_file`` of F
``upload -w N``           ``get_workflow_specification``, ``upload_file`` per input
``start -w N``            ``start_workflow``, ``get_workflow_status``
                          (``get_workflow_parameters`` with ``-p``)
``status -w N --json``    ``get_workflow_status``
``logs -w N --json``      ``get_workflow_logs``
``ls -w N --json``        ``get_files``
``download -w N PATH``    ``download_file`` (without PATH: the spec's outputs)
``stop -w N --force``     ``set_workflow_status`` (status=stop)
``delete -w N``           ``set_workflow_status`` (status=deleted)
``list``                  ``get_workflows``
========================  ==============================================================

Workflows live in memory, each with a workspace folder. Starting one runs it with
CS4OD's local runner (``cs4od_invenio.reproducibility.runner.LocalRun``) in that
workspace, so outputs are the files the real notebook makes; it goes through REANA's
states created → queued → pending → running → finished | failed | stopped (and
deleted). As on REANA, a run whose commands succeed is "finished" even when a declared
output is missing: REANA does not check outputs.

Every request must carry the access token as ``access_token`` query parameter; a
missing or wrong one gets 403 ``{"message": ...}`` as from REANA.

Every response is checked against the specification: the status code must be one the
operation declares, the content type one it ``produces``, and a JSON body must match
the declared schema (Swagger 2.0 → JSON Schema draft 4: ``$ref``s to ``#/definitions``
resolved, ``x-nullable`` honoured, and no property the schema does not declare).
What does not match is collected in ``violations``; tests assert it stays empty.
"""

import datetime
import fnmatch
import io
import json
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema

from cs4od_invenio.reproducibility.runner import (
    STEP_MARK,
    Limits,
    LocalRun,
    read_status,
    stop_run,
)

ROOT = Path(__file__).resolve().parents[2]
SPEC_IN_PACKAGE = "reana_commons/openapi_specifications/reana_server.json"
SERVER_VERSION = "0.9.4"
ACTIVE = ("queued", "pending", "running")
HIDDEN = (".cs4od-run", ".cs4od-job.yml")  # the local runner's files, not REANA's
# Properties that echo the user's reana.yaml: open to keys the schema does not list.
ECHOED = ("specification", "parameters")


def spec_path():
    """reana_server.json from reana-commons in the reana-client environment."""
    venv = Path(os.environ.get("CS4OD_REANA_VENV") or ROOT / ".venv-reana")
    found = sorted(venv.glob(f"lib/python3*/site-packages/{SPEC_IN_PACKAGE}"))
    if not found:
        raise RuntimeError(
            f"REANA's OpenAPI specification ({SPEC_IN_PACKAGE}) is not in {venv}:"
            " scripts/cs4od install builds the reana-client environment"
        )
    return found[-1]


# OpenAPI checking -----------------------------------------------------------------


def swagger_to_json_schema(schema, definitions, strict=True, _seen=()):
    """A Swagger 2.0 Schema Object as JSON Schema draft 4.

    ``$ref``s to ``#/definitions/...`` are replaced by their target; ``x-nullable``
    also allows null; with ``strict``, an object schema listing ``properties`` and no
    ``additionalProperties`` accepts no other property (stricter than Swagger, to
    catch misspelt fields), except inside ``ECHOED`` properties, which carry the
    user's own reana.yaml.
    """
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        ref = schema["$ref"]
        prefix = "#/definitions/"
        if not ref.startswith(prefix) or ref[len(prefix) :] not in definitions:
            raise ValueError(f"cannot resolve {ref}")
        name = ref[len(prefix) :]
        if name in _seen:
            raise ValueError(f"recursive definition {name}")
        return swagger_to_json_schema(
            definitions[name], definitions, strict, _seen + (name,)
        )

    def convert(value):
        return swagger_to_json_schema(value, definitions, strict, _seen)

    out = {}
    for key, value in schema.items():
        if key in ("example", "examples") or key.startswith("x-"):
            continue
        if key == "properties":
            out[key] = {
                name: (
                    swagger_to_json_schema(sub, definitions, False, _seen)
                    if name in ECHOED
                    else convert(sub)
                )
                for name, sub in value.items()
            }
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = convert(value)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [convert(sub) for sub in value]
        else:
            out[key] = value
    if strict and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if schema.get("x-nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


class OpenAPIChecker:
    """Finds the operation of a request and checks a response against it."""

    def __init__(self, path=None, strict=True):
        self.spec = json.loads(Path(path or spec_path()).read_text())
        definitions = self.spec.get("definitions") or {}
        self.routes = []
        for template, operations in self.spec["paths"].items():
            # File names are paths: the last parameter may hold slashes.
            pattern = re.sub(r"\{(\w+)\}$", r"(?P<\1>.+)", template.rstrip("/"))
            pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
            regex = re.compile(f"^{pattern}/?$")
            for method, operation in operations.items():
                responses = {}
                for code, response in operation["responses"].items():
                    schema = (response or {}).get("schema")
                    if schema and schema.get("type") != "file":
                        schema = swagger_to_json_schema(schema, definitions, strict)
                        jsonschema.Draft4Validator.check_schema(schema)
                    responses[code] = schema
                self.routes.append(
                    (
                        method.upper(),
                        regex,
                        operation["operationId"],
                        operation,
                        responses,
                    )
                )

    def declared(self, operation_id):
        """The status codes an operation declares."""
        for _, _, found, _, responses in self.routes:
            if found == operation_id:
                return set(responses)
        return set()

    def match(self, method, path):
        """(operation id, path parameters) of a request, or (None, {})."""
        for verb, regex, operation_id, _, _ in self.routes:
            found = regex.match(path)
            if verb == method and found:
                return operation_id, {
                    k: unquote(v) for k, v in found.groupdict().items()
                }
        return None, {}

    def check(self, method, path, status, content_type, body):
        """Problems of a response (empty when it matches the specification)."""
        for verb, regex, operation_id, operation, responses in self.routes:
            if verb == method and regex.match(path):
                break
        else:
            return [f"{method} {path} is no operation of the specification"]
        where = f"{operation_id} {status}"
        if str(status) not in responses:
            return [f"{where}: status not declared ({', '.join(responses)})"]
        problems = []
        produces = operation.get("produces") or self.spec.get("produces") or []
        media = (content_type or "").split(";")[0].strip()
        if produces and not any(
            media == p or (p.endswith("/*") and media.startswith(p[:-1]))
            for p in produces
        ):
            problems.append(f"{where}: content type {media} not in {produces}")
        schema = responses[str(status)]
        declared = (operation["responses"][str(status)] or {}).get("schema") or {}
        if declared.get("type") == "file" or not schema:
            return problems
        try:
            document = json.loads(body)
        except ValueError:
            return problems + [f"{where}: body is not JSON"]
        for error in jsonschema.Draft4Validator(schema).iter_errors(document):
            at = "/".join(str(p) for p in error.absolute_path) or "(body)"
            problems.append(f"{where}: {at}: {error.message}")
        return problems


# the server -----------------------------------------------------------------------


def _now():
    """REANA's time format (UTC, seconds, no zone): reana-client parses it."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S")


def _human(size):
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024


@dataclass
class Workflow:
    """One run of a workflow held by the stand-in."""

    id: str
    name: str
    run_number: int
    spec: dict
    workspace: Path
    created: str = field(default_factory=_now)
    status: str = "created"
    started: str = None
    finished: str = None
    stopped: str = None
    message: str = ""
    run: LocalRun = None
    thread: threading.Thread = None
    history: list = field(default_factory=lambda: ["created"])

    @property
    def full_name(self):
        """name.run_number, as REANA shows it."""
        return f"{self.name}.{self.run_number}"

    @property
    def steps(self):
        """Step names: the serial steps, or one "cwl" step."""
        workflow = self.spec.get("workflow") or {}
        if workflow.get("type") == "serial":
            steps = (workflow.get("specification") or {}).get("steps") or []
            return [s.get("name") or str(i) for i, s in enumerate(steps)]
        return [workflow.get("type") or "workflow"]


class Reply:
    """A non-JSON answer: bytes with a content type and headers."""

    def __init__(self, body, content_type, headers=None):
        self.body, self.content_type, self.headers = body, content_type, headers or {}


class ReanaStandIn:
    """The REANA stand-in on a free loopback port; ``url`` is what REANA_SERVER_URL
    takes and ``token`` the one access token it accepts."""

    def __init__(self, token="cs4od-test-token", root=None, limits=None, delay=0.2):
        self.token = token
        self.user_id = str(uuid.uuid4())
        self.limits = limits or Limits(timeout=300)
        self.delay = delay  # seconds spent in "queued" and in "pending"
        self.checker = OpenAPIChecker()
        self.violations = []
        self.calls = []  # (method, path, operation id, status)
        self.workflows = {}
        self.lock = threading.RLock()
        self._tmp = None
        if root is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="reana-standin-")
            root = self._tmp.name
        self.root = Path(root)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # life cycle ---------------------------------------------------------------------
    def start(self):
        """Serve in a background thread."""
        self._thread.start()
        return self

    def close(self):
        """Stop the runs still going and the server."""
        with self.lock:
            workflows = list(self.workflows.values())
        for workflow in workflows:
            if workflow.status in ACTIVE:
                self._stop(workflow)
            if workflow.thread is not None:
                workflow.thread.join(timeout=30)
        self.server.shutdown()
        self.server.server_close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def find(self, name):
        """The workflow a name, name.run_number or id stands for (or None)."""
        with self.lock:
            if name in self.workflows:
                return self.workflows[name]
            base, dot, number = name.rpartition(".")
            if dot and number.isdigit():
                runs = [
                    w
                    for w in self.workflows.values()
                    if w.name == base and w.run_number == int(number)
                ]
            else:
                runs = [w for w in self.workflows.values() if w.name == name]
            return max(runs, key=lambda w: w.run_number) if runs else None

    # HTTP -----------------------------------------------------------------------------
    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, answer = standin.answer(
                    self.command, parts.path, query, body, self.headers
                )
                if isinstance(answer, Reply):
                    payload, content_type, headers = (
                        answer.body,
                        answer.content_type,
                        answer.headers,
                    )
                else:
                    payload = json.dumps(answer).encode()
                    content_type, headers = "application/json", {}
                standin.violations += standin.checker.check(
                    self.command, parts.path, status, content_type, payload
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler

    def answer(self, method, path, query, body, headers):
        """(status, JSON-able answer or Reply) for one request."""
        operation, params = self.checker.match(method, path)
        if operation is None:
            status, answer = 404, {"message": f"{method} {path} not found"}
        else:
            status, answer = self._operate(operation, params, query, body, headers)
        self.calls.append((method, path, operation, status))
        return status, answer

    def _operate(self, operation, params, query, body, headers):
        if operation == "ping":
            return 200, {"message": "OK", "status": "200"}
        token = query.get("access_token")
        if token != self.token:
            # REANA answers 403, also where the operation does not declare it (info
            # declares only 200 and 500): there the stand-in keeps to the spec.
            status = 403 if "403" in self.checker.declared(operation) else 500
            return status, {
                "message": "Token not valid." if token else "User not signed in"
            }
        handler = getattr(self, f"_op_{operation}", None)
        if handler is None:
            return 500, {"message": f"the stand-in does not implement {operation}"}
        workflow = None
        if "workflow_id_or_name" in params:
            name = params["workflow_id_or_name"]
            workflow = self.find(name)
            if workflow is None:
                return 404, {
                    "message": f"REANA_WORKON is set to {name}, but that workflow"
                    " does not exist. Please set your REANA_WORKON environment"
                    " variable appropriately."
                }
        try:
            payload = (
                json.loads(body)
                if body and "json" in (headers.get("Content-Type") or "")
                else None
            )
        except ValueError:
            return 400, {"message": "The request body is not JSON."}
        return handler(
            workflow=workflow, params=params, query=query, body=body, payload=payload
        )

    # operations ---------------------------------------------------------------------
    def _op_get_you(self, **_):
        quota = {
            "health": "healthy",
            "limit": {"human_readable": "unlimited", "raw": -1},
            "usage": {"human_readable": "0 bytes", "raw": 0},
        }
        return 200, {
            "email": "cs4od-tests@example.org",
            "reana_server_version": SERVER_VERSION,
            "reana_token": {"status": "active", "requested_at": _now()},
            "quota": {"cpu": quota, "disk": quota},
        }

    def _op_info(self, **_):
        return 200, {
            "compute_backends": {
                "title": "List of supported compute backends",
                "value": ["kubernetes"],
            },
            "default_workspace": {"title": "Default workspace", "value": "/var/reana"},
            "workspaces_available": {
                "title": "List of available workspaces",
                "value": ["/var/reana"],
            },
        }

    def _op_get_workflows(self, query, **_):
        with self.lock:
            runs = sorted(
                self.workflows.values(), key=lambda w: w.created, reverse=True
            )
        wanted = query.get("workflow_id_or_name")
        if wanted:
            one = self.find(wanted)
            runs = [one] if one else []
        items = [
            {
                "id": w.id,
                "name": w.full_name,
                "status": w.status,
                "user": self.user_id,
                "created": w.created,
                "progress": self._progress(w),
                "size": {"raw": -1, "human_readable": ""},
            }
            for w in runs
        ]
        return 200, {"items": items, "total": len(items)}

    def _op_create_workflow(self, query, payload, **_):
        name = query.get("workflow_name") or "workflow"
        if "." in name:
            return 400, {
                "message": f'Workflow name {name} contains illegal character "."'
            }
        try:
            uuid.UUID(name)
            return 400, {"message": "Workflow name cannot be a valid UUIDv4."}
        except ValueError:
            pass
        workflow_spec = (
            (payload or {}).get("workflow") if isinstance(payload, dict) else None
        )
        if not isinstance(workflow_spec, dict) or "type" not in workflow_spec:
            return 400, {"message": "The REANA specification has no workflow type."}
        with self.lock:
            number = 1 + max(
                (w.run_number for w in self.workflows.values() if w.name == name),
                default=0,
            )
            workflow_id = str(uuid.uuid4())
            workspace = self.root / workflow_id
            workspace.mkdir(parents=True)
            workflow = Workflow(workflow_id, name, number, payload, workspace)
            self.workflows[workflow_id] = workflow
        return 201, {
            "message": "The workflow has been successfully created.",
            "workflow_id": workflow.id,
            "workflow_name": workflow.full_name,
        }

    def _op_get_workflow_specification(self, workflow, **_):
        return 200, {
            "specification": workflow.spec,
            "parameters": (workflow.spec.get("inputs") or {}).get("parameters") or {},
        }

    def _op_get_workflow_parameters(self, workflow, **_):
        return 200, {
            "id": workflow.id,
            "name": workflow.full_name,
            "type": workflow.spec["workflow"]["type"],
            "parameters": (workflow.spec.get("inputs") or {}).get("parameters") or {},
        }

    def _op_upload_file(self, workflow, query, body, **kwargs):
        name = query.get("file_name") or ""
        relative = name.lstrip("/")
        if not relative:
            return 400, {"message": "The file transferred needs to have name."}
        if ".." in relative.split("/"):
            return 400, {"message": 'Path cannot contain "..".'}
        if workflow.status == "deleted":
            return 404, {"message": "Workspace does not exist."}
        target = workflow.workspace / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        return 200, {"message": f"{relative} has been successfully uploaded."}

    def _op_start_workflow(self, workflow, payload, **_):
        return self._start(workflow, payload or {})

    def _op_set_workflow_status(self, workflow, query, payload, **_):
        wanted = query.get("status")
        if wanted == "start":
            return self._start(workflow, payload or {})
        if wanted == "stop":
            if workflow.status not in ACTIVE:
                return 409, {
                    "message": f"{workflow.full_name} is not running, it is"
                    f" {workflow.status}."
                }
            self._stop(workflow)
            return 200, self._changed(workflow, "Workflow successfully stopped.")
        if wanted == "deleted":
            if workflow.status in ACTIVE:
                self._stop(workflow)
            with self.lock:
                self._move(workflow, "deleted")
            shutil.rmtree(workflow.workspace, ignore_errors=True)
            return 200, self._changed(workflow, "Workflow successfully deleted.")
        return 400, {"message": f"Unknown workflow status {wanted}."}

    def _op_get_workflow_status(self, workflow, **_):
        return 200, {
            "id": workflow.id,
            "name": workflow.full_name,
            "created": workflow.created,
            "status": workflow.status,
            "user": self.user_id,
            "progress": self._progress(workflow),
            "logs": json.dumps(self._logs(workflow)),
        }

    def _op_get_workflow_logs(self, workflow, **_):
        return 200, {
            "workflow_id": workflow.id,
            "workflow_name": workflow.full_name,
            "user": self.user_id,
            "logs": json.dumps(self._logs(workflow)),
        }

    def _op_get_files(self, workflow, query, **_):
        if workflow.status == "deleted":
            return 404, {"message": "Workspace does not exist."}
        items = []
        for path in sorted(self._files(workflow)):
            if query.get("file_name") and not fnmatch.fnmatch(path, query["file_name"]):
                continue
            stat = (workflow.workspace / path).stat()
            items.append(
                {
                    "name": path,
                    "size": {
                        "raw": stat.st_size,
                        "human_readable": _human(stat.st_size),
                    },
                    "last-modified": datetime.datetime.fromtimestamp(
                        stat.st_mtime
                    ).strftime("%Y-%m-%dT%H:%M:%S"),
                }
            )
        total = len(items)
        if query.get("page") or query.get("size"):
            try:
                page, size = int(query.get("page") or 1), int(
                    query.get("size") or total
                )
            except ValueError:
                return 400, {"message": "page and size must be numbers."}
            items = items[(page - 1) * size : page * size]
        return 200, {"items": items, "total": total}

    def _op_download_file(self, workflow, params, **_):
        wanted = params["file_name"].lstrip("/")
        if ".." in wanted.split("/") or workflow.status == "deleted":
            return 404, {"message": f"{wanted} does not exist."}
        target = workflow.workspace / wanted
        if target.is_file() and not wanted.startswith(HIDDEN):
            return 200, Reply(
                target.read_bytes(),
                "application/octet-stream",
                {"Content-Disposition": f'attachment; filename="{wanted}"'},
            )
        if target.is_dir():
            prefix = wanted.rstrip("/") + "/"
            members = [p for p in self._files(workflow) if p.startswith(prefix)]
        else:
            members = [p for p in self._files(workflow) if fnmatch.fnmatch(p, wanted)]
        if not members:
            return 404, {"message": f"{wanted} does not exist."}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in members:
                archive.write(workflow.workspace / member, member)
        base = os.path.basename(wanted.rstrip("/")) or "workspace"
        download = f"download_{workflow.full_name}_{base}.zip"
        return 200, Reply(
            buffer.getvalue(),
            "application/zip",
            {"Content-Disposition": f'attachment; filename="{download}"'},
        )

    # runs -----------------------------------------------------------------------------
    def _move(self, workflow, state):
        with self.lock:
            workflow.status = state
            workflow.history.append(state)

    def _changed(self, workflow, message):
        return {
            "message": message,
            "workflow_id": workflow.id,
            "workflow_name": workflow.full_name,
            "status": workflow.status,
            "user": self.user_id,
        }

    def _start(self, workflow, options):
        with self.lock:
            if workflow.status != "created":
                return 409, {
                    "message": f"Workflow {workflow.id} could not be started because"
                    f" it is already {workflow.status}."
                }
            overrides = options.get("input_parameters") or {}
            if overrides:
                inputs = workflow.spec.setdefault("inputs", {})
                inputs.setdefault("parameters", {}).update(overrides)
            self._move(workflow, "queued")
            workflow.thread = threading.Thread(
                target=self._execute, args=(workflow,), daemon=True
            )
            workflow.thread.start()
        return 200, self._changed(workflow, "Workflow submitted.")

    def _execute(self, workflow):
        """queued → pending → running (the local runner) → finished | failed."""
        time.sleep(self.delay)
        with self.lock:
            if workflow.status != "queued":
                return
            self._move(workflow, "pending")
        time.sleep(self.delay)
        with self.lock:
            if workflow.status != "pending":
                return
            workflow.started = _now()
            try:
                workflow.run = LocalRun(
                    workflow.workspace, spec=workflow.spec, limits=self.limits
                )
                workflow.run.start()
            except Exception as error:  # the engine broke: say so, as REANA would
                workflow.message = f"the workflow engine failed: {error}"
                workflow.finished = _now()
                self._move(workflow, "failed")
                return
            self._move(workflow, "running")
        status = workflow.run.wait(poll=0.1)
        with self.lock:
            if workflow.status != "running":
                return
            missing_only = status["exit_code"] == 0 and status["outputs"]["missing"]
            if status["state"] == "finished" or missing_only:
                self._move(workflow, "finished")
            elif status["state"] == "stopped":
                self._move(workflow, "stopped")
            else:
                self._move(workflow, "failed")
                workflow.message = status["message"]
            workflow.finished = _now()

    def _stop(self, workflow):
        with self.lock:
            if workflow.run is not None:
                stop_run(workflow.workspace)
            self._move(workflow, "stopped")
            workflow.stopped = _now()
            workflow.message = "stopped by request"

    def _files(self, workflow):
        if not workflow.workspace.is_dir():
            return []
        return [
            p.relative_to(workflow.workspace).as_posix()
            for p in workflow.workspace.rglob("*")
            if p.is_file()
            and not p.relative_to(workflow.workspace).as_posix().startswith(HIDDEN)
        ]

    def _log_sections(self, workflow):
        """(step name, text) per step the runner's log shows."""
        log = workflow.workspace / ".cs4od-run" / "run.log"
        if not log.is_file():
            return []
        sections = []
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith(STEP_MARK):
                sections.append([line[len(STEP_MARK) :], []])
            elif sections:
                sections[-1][1].append(line)
        return [(name, "\n".join(lines)) for name, lines in sections]

    def _job_id(self, workflow, step):
        return str(uuid.uuid5(uuid.UUID(workflow.id), step))

    def _progress(self, workflow):
        steps = workflow.steps
        sections = self._log_sections(workflow)
        seen = [name for name, _ in sections]
        done, running, failed = [], [], []
        for name in seen:
            last = name == seen[-1]
            if last and workflow.status in ACTIVE:
                running.append(name)
            elif last and workflow.status in ("failed", "stopped"):
                failed.append(name)
            else:
                done.append(name)

        def jobs(names):
            ids = [self._job_id(workflow, n) for n in names]
            return {"total": len(ids), "job_ids": ids}

        return {
            "total": jobs(steps),
            "finished": jobs(done),
            "running": jobs(running),
            "failed": jobs(failed),
            "current_step_name": running[0] if running else None,
            "current_command": None,
            "run_started_at": workflow.started,
            "run_finished_at": workflow.finished,
            "run_stopped_at": workflow.stopped,
        }

    def _logs(self, workflow):
        progress = self._progress(workflow)
        state = {}
        for key in ("finished", "running", "failed"):
            for job in progress[key]["job_ids"]:
                state[job] = key
        workflow_spec = workflow.spec.get("workflow") or {}
        steps = (workflow_spec.get("specification") or {}).get("steps") or []
        environments = {
            (s.get("name") or str(i)): s.get("environment", "")
            for i, s in enumerate(steps)
        }
        job_logs = {}
        for name, text in self._log_sections(workflow):
            job = self._job_id(workflow, name)
            job_logs[job] = {
                "workflow_uuid": workflow.id,
                "job_name": name,
                "compute_backend": "Kubernetes",
                "backend_job_id": job,
                "docker_img": environments.get(name, ""),
                "cmd": "",
                "status": state.get(job, "finished"),
                "logs": text,
                "started_at": workflow.started,
                "finished_at": workflow.finished,
            }
        engine = ""
        if workflow.status == "failed":
            engine = f"workflow failed: {workflow.message}"
        elif workflow.status == "stopped":
            engine = "workflow stopped"
        elif workflow.status == "finished":
            engine = "workflow finished"
        return {"workflow_logs": engine, "job_logs": job_logs, "engine_specific": None}

    def status_of(self, name):
        """The local runner's status of a workflow's run (for tests)."""
        workflow = self.find(name)
        return read_status(workflow.workspace) if workflow else None
