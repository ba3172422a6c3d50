"""Fixtures of runs on a REANA server from the app: the REANA stand-in (real
reana-client, answers checked against REANA's OpenAPI spec) configured as the server."""

import pytest
from helpers import closed_port_url
from projects_fixtures import *  # noqa: F401,F403
from reana_app_helpers import REANA_TOKEN
from standins.reana_server import ReanaStandIn


@pytest.fixture(scope="module")
def reana(tmp_path_factory):
    """The REANA stand-in; every answer it sent must match REANA's OpenAPI spec."""
    root = tmp_path_factory.mktemp("reana-server")
    with ReanaStandIn(token=REANA_TOKEN, root=root, delay=0.1) as server:
        yield server
    assert server.violations == []


@pytest.fixture(scope="module")
def app_config(app_config, reana):
    """The app with the stand-in as its REANA server, polled often."""
    app_config.update(CS4OD_REANA_SERVER_URL=reana.url, CS4OD_REANA_POLL_INTERVAL=0.3,
                      CS4OD_REANA_POLL_SLICE=600, CS4OD_REANA_TIMEOUT=30)
    return app_config


@pytest.fixture
def closed_url():
    """The URL of a loopback port nobody listens on."""
    return closed_port_url()


@pytest.fixture
def api_app(app):
    """The REST API application (mounted at /api): it serves the test client's API
    calls and runs their eager Celery tasks."""
    wsgi = app.wsgi_app
    dispatcher = wsgi if hasattr(wsgi, "mounts") else getattr(wsgi, "app", wsgi)
    return dispatcher.mounts["/api"]


@pytest.fixture
def api_config(api_app):
    """The configuration of the REST API application."""
    return api_app.config


@pytest.fixture()
def queued_not_run(app, api_app):
    """Celery tasks go to the (test) broker instead of running at once, so that a test
    can act between a run's submission and its polling."""
    celeries = [a.extensions["flask-celeryext"].celery for a in (app, api_app)]
    for celery in celeries:
        celery.conf.task_always_eager = False
    yield
    for celery in celeries:
        celery.conf.task_always_eager = True
