"""Fixtures of the federation core tests: recorded Zenodo answers, raw and replayed."""

import pytest
from standins.zenodo_oai import DATA, replay  # noqa: F401

from cs4od_invenio.federation.oai import parse_page


@pytest.fixture()
def recorded():
    """Read a recorded answer (path below tests/data/zenodo-oai) as bytes."""
    return lambda name: (DATA / name).read_bytes()


@pytest.fixture()
def recorded_page(recorded):
    """Parse a recorded answer into an OAI-PMH page."""
    return lambda name: parse_page(recorded(name))
