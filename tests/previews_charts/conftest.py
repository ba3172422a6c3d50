"""Real open data for the chart tests (see tests/data/README.md)."""

import pytest
from chart_data import DEATHS, POPULATION


@pytest.fixture
def population_csv():
    """The world population shares CSV (7 regions and the world × 14 years)."""
    return POPULATION


@pytest.fixture
def deaths_tsv():
    """Eurostat weekly deaths in Eurostat's bulk TSV format."""
    return DEATHS
