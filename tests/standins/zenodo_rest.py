"""A local Zenodo REST API that replays real recorded answers (tests/data/zenodo-api).

It answers exactly the requests that were recorded, with the recorded status, content
type and body; any other request gets a bare 404 so that a test asking for something
never recorded fails loudly. Faults can be injected per path to test what the importer
does when the network misbehaves: ``corrupt`` (one byte changed, same length),
``truncate`` (the connection closes half way through the body), ``stall`` (no answer
for ``stall_seconds``), ``error`` (HTTP 503 with Retry-After).
"""

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml

DATA = Path(__file__).resolve().parents[1] / "data" / "zenodo-api"
ORIGIN = b"https://zenodo.org"


def _cassette(path):
    """(path, status, content type, body) of each interaction of a VCR cassette."""
    for interaction in yaml.safe_load(path.read_text())["interactions"]:
        request, response = interaction["request"], interaction["response"]
        headers = {k.lower(): v for k, v in response["headers"].items()}
        body = response["body"]["string"]
        body = body.encode() if isinstance(body, str) else body
        if "gzip" in (headers.get("content-encoding") or []):
            body = gzip.decompress(body)
        yield (urlsplit(request["uri"]).path, response["status"]["code"],
               headers["content-type"][0], body)


def recordings():
    """Every recorded answer: {path: (status, content type, body)}."""
    answers = {}
    for cassette in sorted((DATA / "frictionless").glob("*.yaml")):
        for path, status, content_type, body in _cassette(cassette):
            answers[path] = (status, content_type, body)
    pooch = DATA / "pooch"
    answers["/api/records/4924875"] = (
        200, "application/json", (pooch / "4924875.json").read_bytes())
    answers["/api/records/4924875/files"] = (
        200, "application/json", (pooch / "4924875-files.json").read_bytes())
    for name in ("tiny-data.txt", "store.zip"):
        answers[f"/api/records/4924875/files/{name}/content"] = (
            200, "application/octet-stream", (pooch / "files" / name).read_bytes())
    return answers


class ZenodoStandIn:
    """The replaying server on a free loopback port; ``url`` is its base URL."""

    def __init__(self):
        self.answers = recordings()
        self.faults = {}
        self.stall_seconds = 3
        self.requests = []
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = urlsplit(self.path).path
                standin.requests.append(path)
                fault = standin.faults.get(path)
                if fault == "stall":
                    time.sleep(standin.stall_seconds)
                if fault == "error":
                    return self._send(503, "application/json",
                                      b'{"status": 503}', {"Retry-After": "60"})
                if path not in standin.answers:
                    return self._send(404, "text/plain", b"not recorded")
                status, content_type, body = standin.answers[path]
                body = body.replace(ORIGIN, standin.url.encode())
                if fault == "corrupt":
                    body = body[:-1] + bytes([body[-1] ^ 0xFF])
                if fault == "truncate":
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self._send(status, content_type, body)

            def _send(self, status, content_type, body, headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self):
        """Stop serving and free the port."""
        self.server.shutdown()
        self.server.server_close()

    def record_json(self, record_id):
        """The recorded JSON of a record, as served (for expectations in tests)."""
        _status, _type, body = self.answers[f"/api/records/{record_id}"]
        return json.loads(body.replace(ORIGIN, self.url.encode()))
