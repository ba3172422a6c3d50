"""A local HTTP server that replays recorded Zenodo OAI-PMH answers (tests/data/zenodo-oai).

Each request is answered with the recorded body whose request parameters match exactly
(order does not matter), with its recorded HTTP status. Anything else gets 404 and a
plain-text note: the stand-in never makes up an OAI-PMH answer.
"""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from standins.serving import BackgroundServer

DATA = Path(__file__).resolve().parent.parent / "data" / "zenodo-oai"

# The recorded pages whose records are DataCite (datacite, oai_datacite3).
DATACITE_PAGES = [
    "2026/list_records-5.xml",
    "2026/get_record-2.xml",
    "2024/get_record__01_GetRecord_datacite_200.xml",
    "2024/list_records__07_ListRecords_datacite_200.xml",
    "legacy/zenodio__lisa7-posters_ListRecords_oai_datacite3_set-user-lisa7-posters_2015.xml",
]

# A row of INDEX.md: | file | status | `request URL` | ...
_MD_ROW = re.compile(
    r"^\|\s*(?P<file>[^|\s]+)\s*\|\s*(?P<status>\d+)\s*\|\s*`(?P<uri>[^`]+)`"
)


def _query(uri):
    return frozenset(parse_qsl(urlsplit(uri).query, keep_blank_values=True))


def load_index(folder):
    """``{(url path, query): (status, file)}`` for the recordings present in ``folder``."""
    folder = Path(folder)
    rows = []
    if (folder / "INDEX.json").exists():
        rows = [
            (e["file"], int(e["status"]), e["uri"])
            for e in json.loads((folder / "INDEX.json").read_text(encoding="utf-8"))
        ]
    elif (folder / "INDEX.md").exists():
        for line in (folder / "INDEX.md").read_text(encoding="utf-8").splitlines():
            match = _MD_ROW.match(line)
            if match:
                rows.append((match["file"], int(match["status"]), match["uri"]))
    index = {}
    for name, status, uri in rows:
        if (folder / name).exists():
            index[(urlsplit(uri).path, _query(uri))] = (status, folder / name)
    return index


class ZenodoOAIReplay(BackgroundServer):
    """Serve one folder of recorded answers on 127.0.0.1 from a background thread."""

    def __init__(self, folder):
        """Index the folder; ``start()`` opens the port."""
        self.index = load_index(folder)
        if not self.index:
            raise ValueError(f"no recorded answers in {folder}")
        paths = {path for path, _ in self.index}
        if len(paths) != 1:
            raise ValueError(f"recordings of {folder} are for several paths: {paths}")
        self.path = paths.pop()
        self.requests = []
        self._faults = []
        self._held_from = None
        self._gate = threading.Event()
        self.holding = threading.Event()
        """Set once a request is held back (see ``hold_after``)."""

    @property
    def base_url(self):
        """The OAI-PMH base URL to harvest."""
        return self.address + self.path

    def fail_next(self, status, headers=None):
        """Answer the next request with a bare ``status``: a transport fault, no body."""
        self._faults.append((status, dict(headers or {})))

    def hold_after(self, count):
        """Let the next ``count`` requests through, then hold the others back until
        ``release()``: a source that is slow to answer (a harvest under way)."""
        self._held_from = len(self.requests) + count
        self._gate.clear()
        self.holding.clear()

    def release(self):
        """Answer the requests held back, and the next ones at once."""
        self._held_from = None
        self._gate.set()

    def _hold(self):
        if self._held_from is not None and len(self.requests) > self._held_from:
            self.holding.set()
            self._gate.wait(timeout=120)

    def start(self):
        """Listen on a free port."""
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                replay.requests.append(
                    dict(parse_qsl(parts.query, keep_blank_values=True))
                )
                replay._hold()
                if replay._faults:
                    status, headers = replay._faults.pop(0)
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                found = replay.index.get((parts.path, _query(self.path)))
                if found is None:
                    body = f"no recorded answer for {self.path}\n".encode()
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                else:
                    status, path = found
                    body = path.read_bytes()
                    self.send_response(status)
                    kind = "text/html" if path.suffix == ".html" else "text/xml"
                    self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return self.serve(Handler)

    def stop(self):
        """Answer what is held back, close the port and wait for the thread."""
        self.release()
        super().stop()


@pytest.fixture()
def replay():
    """Start a replay server for a folder of recordings (below ``DATA``); stopped after
    the test. A conftest takes it with ``from standins.zenodo_oai import replay``."""
    servers = []

    def start(folder):
        server = ZenodoOAIReplay(DATA / folder).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
