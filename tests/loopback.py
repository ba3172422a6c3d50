"""The test application served by a real HTTP server on loopback, for clients that speak
HTTP (browsers, OAI-PMH harvesters, the Zenodo importer pointed at this instance).

A conftest takes the fixtures with ``from loopback import portal, portal_port``; a module
whose pages must link to the served port (not to ``SITE_UI_URL``'s default) overrides
``app_config`` with ``served_links``.
"""

import socket
import threading

import pytest
from werkzeug.serving import make_server


def served_links(app_config, port):
    """Point the instance's links (UI, API) at ``http://127.0.0.1:<port>``; return it."""
    app_config["SITE_UI_URL"] = f"http://127.0.0.1:{port}"
    app_config["SITE_API_URL"] = f"http://127.0.0.1:{port}/api"
    return app_config


@pytest.fixture(scope="module")
def portal_port():
    """A free loopback port, known before the application is configured."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def portal(app, database, search, portal_port):
    """The instance served on ``portal_port`` by a threaded HTTP server; its base URL."""
    server = make_server("127.0.0.1", portal_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{portal_port}"
    server.shutdown()
    thread.join(timeout=10)
