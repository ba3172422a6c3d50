"""Fixtures of the REANA path tests: the stand-in server and run workspaces (no app)."""

import io

import pytest
from helpers import closed_port_url
from reana_helpers import TOKEN, worldpopulation_project
from standins.reana_server import ReanaStandIn

from cs4od_invenio.reproducibility.bundle import unpack_bundle, write_bundle
from cs4od_invenio.reproducibility.spec import build_spec


@pytest.fixture
def reana(tmp_path):
    """The REANA stand-in; every response it sent must match REANA's OpenAPI spec."""
    with ReanaStandIn(token=TOKEN, root=tmp_path / "reana-server", delay=0.1) as server:
        yield server
    assert server.violations == []


@pytest.fixture
def closed_url():
    """The URL of a loopback port nobody listens on."""
    return closed_port_url()


@pytest.fixture
def worldpopulation(tmp_path):
    """The demo as CS4OD bundles it (reana.yaml, code/, data/), unpacked."""
    target = io.BytesIO()
    write_bundle(build_spec(worldpopulation_project()), target)
    (tmp_path / "bundle.zip").write_bytes(target.getvalue())
    return unpack_bundle(tmp_path / "bundle.zip", tmp_path / "worldpop")
