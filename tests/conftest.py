"""Test application on the real services started by ``scripts/cs4od``.

Tests use their own PostgreSQL database (``cs4od_test``), index prefix
(``cs4od-test-``) and Redis databases, so they never touch the portal's data.
"""

import os
import sys
from pathlib import Path

import pytest
import yaml
from invenio_access.permissions import system_identity
from invenio_app.factory import create_app as _create_app
from invenio_vocabularies.proxies import current_service as vocabulary_service

ROOT = Path(__file__).resolve().parent.parent
BUILT_STATIC = Path(sys.prefix) / "var" / "instance" / "static"

_redis = os.environ.get("CS4OD_TEST_REDIS", "redis://127.0.0.1:{}".format(
    os.environ.get("CS4OD_REDIS_PORT", "6379")))


@pytest.fixture(scope="module")
def instance_path(tmp_path_factory):
    """An instance folder that carries this repository's invenio.cfg and templates."""
    path = tmp_path_factory.mktemp("instance")
    for name in ("invenio.cfg", "templates", "app_data"):
        (path / name).symlink_to(ROOT / name)
    os.environ["INVENIO_INSTANCE_PATH"] = str(path)
    os.environ["INVENIO_STATIC_FOLDER"] = str(BUILT_STATIC)
    yield path


@pytest.fixture(scope="module")
def db_uri():
    """The test database on the project's PostgreSQL."""
    port = os.environ.get("CS4OD_PG_PORT", "5432")
    yield os.environ.get(
        "CS4OD_TEST_DATABASE_URI",
        f"postgresql+psycopg2://cs4od:cs4od@127.0.0.1:{port}/cs4od_test",
    )


@pytest.fixture(scope="module")
def search_hosts():
    """The project's OpenSearch node."""
    port = int(os.environ.get("CS4OD_OPENSEARCH_PORT", "9200"))
    yield [{"host": "127.0.0.1", "port": port}]


@pytest.fixture(scope="module")
def app_config(app_config, instance_path):
    """The instance configuration, pointed at the test database, indices and Redis."""
    app_config.update(
        SEARCH_INDEX_PREFIX="cs4od-test-",
        CACHE_TYPE="redis",
        CACHE_REDIS_URL=f"{_redis}/6",
        IIIF_CACHE_REDIS_URL=f"{_redis}/6",
        ACCOUNTS_SESSION_REDIS_URL=f"{_redis}/7",
        COMMUNITIES_IDENTITIES_CACHE_REDIS_URL=f"{_redis}/8",
        RATELIMIT_STORAGE_URI=f"{_redis}/9",
        BROKER_URL=f"{_redis}/10",
        CELERY_BROKER_URL=f"{_redis}/10",
        SITE_UI_URL="http://127.0.0.1",
        SITE_API_URL="http://127.0.0.1/api",
        TRUSTED_HOSTS=["127.0.0.1", "localhost"],
        # Sessions of the test client must survive plain HTTP.
        SESSION_COOKIE_SECURE=False,
    )
    return app_config


@pytest.fixture(scope="module")
def create_app(instance_path):
    """The whole instance: web UI at /, REST API at /api."""
    return _create_app


@pytest.fixture(scope="module")
def resource_types(app):
    """The resource types records use, from InvenioRDM's own fixture file."""
    import invenio_rdm_records

    path = (Path(invenio_rdm_records.__file__).parent / "fixtures" / "data"
            / "vocabularies" / "resource_types.yaml")
    wanted = {"dataset", "software", "publication", "publication-article"}
    entries = [e for e in yaml.safe_load(path.read_text()) if e["id"] in wanted]
    vocabulary_service.create_type(system_identity, "resourcetypes", "rsrct")
    for entry in entries:
        vocabulary_service.create(system_identity, {**entry, "type": "resourcetypes"})
    vocabulary_service.indexer.refresh()
    return [e["id"] for e in entries]


@pytest.fixture()
def owner(UserFixture, app, db):
    """A depositor with a confirmed account."""
    user = UserFixture(email="owner@example.org", password="owner-password")
    user.create(app, db)
    return user
