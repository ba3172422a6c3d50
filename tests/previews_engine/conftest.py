"""Real open data for the tabular engine tests (see tests/data/README.md)."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def population_csv():
    """The world population shares CSV (7 regions × 14 years)."""
    return DATA / "World_historical_and_predicted_populations_in_percentage.csv"


@pytest.fixture
def deaths_tsv():
    """Eurostat weekly deaths in Eurostat's bulk TSV format."""
    return DATA / "eurostat_demo_r_mwk_ts__mafik-europe-deaths-by-week.tsv"
