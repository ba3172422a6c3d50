"""The migration test runs on a database of its own, built by alembic alone."""

import os

import pytest
from sqlalchemy_utils import create_database, database_exists, drop_database


@pytest.fixture(scope="module")
def db_uri():
    """An empty database: the other tests' tables come from the models, not alembic."""
    port = os.environ.get("CS4OD_PG_PORT", "5432")
    uri = f"postgresql+psycopg2://cs4od:cs4od@127.0.0.1:{port}/cs4od_alembic_test"
    if database_exists(uri):
        drop_database(uri)
    create_database(uri)
    yield uri
    drop_database(uri)
