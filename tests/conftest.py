"""Test application on the real services started by ``scripts/cs4od``.

Tests use their own PostgreSQL database (``cs4od_test``), index prefix
(``cs4od-test-``) and Redis databases, so they never touch the portal's data.
"""

import os
import sys
import time
from pathlib import Path

import pytest
import yaml
from invenio_access.permissions import system_identity
from invenio_app.factory import create_app as _create_app
from invenio_vocabularies.proxies import current_service as vocabulary_service

from helpers import token_for

# invenio-config lets INVENIO_* variables override any configuration, the test
# configuration included: drop those of the portal (scripts/lib.sh exports them) so that
# no test can reach the portal's database, indices or cache.
for _name in [n for n in os.environ if n.startswith("INVENIO_")]:
    del os.environ[_name]

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
def db_uri(_fresh_test_state):
    """The test database on the project's PostgreSQL."""
    port = os.environ.get("CS4OD_PG_PORT", "5432")
    yield os.environ.get(
        "CS4OD_TEST_DATABASE_URI",
        f"postgresql+psycopg2://cs4od:cs4od@127.0.0.1:{port}/cs4od_test",
    )


_redis_base = int(os.environ.get("CS4OD_TEST_REDIS_DB_BASE", "6"))
TEST_REDIS_DBS = range(_redis_base, _redis_base + 5)


@pytest.fixture(scope="session")
def _fresh_test_state():
    """Start from an empty test database and Redis, whatever an earlier run left behind.

    Only sessions that build the application ask for it (through ``db_uri`` and
    ``app_config``): tests of pure code leave the services alone.
    """
    import redis
    from sqlalchemy_utils import create_database, database_exists, drop_database

    for number in TEST_REDIS_DBS:
        redis.Redis.from_url(f"{_redis}/{number}").flushdb()

    port = os.environ.get("CS4OD_PG_PORT", "5432")
    uri = os.environ.get(
        "CS4OD_TEST_DATABASE_URI",
        f"postgresql+psycopg2://cs4od:cs4od@127.0.0.1:{port}/cs4od_test",
    )
    if database_exists(uri):
        # An autovacuum worker (a superuser process) may be busy in the old test
        # database for a moment; it cannot be terminated by us, so wait for it.
        for attempt in range(10):
            try:
                drop_database(uri)
                break
            except Exception:
                if attempt == 9:
                    raise
                time.sleep(1)
    create_database(uri)


@pytest.fixture(scope="module")
def search_hosts():
    """The project's OpenSearch node."""
    port = int(os.environ.get("CS4OD_OPENSEARCH_PORT", "9200"))
    yield [{"host": "127.0.0.1", "port": port}]


@pytest.fixture(scope="module")
def app_config(app_config, instance_path, _fresh_test_state):
    """The instance configuration, pointed at the test database, indices and Redis."""
    # Keep invenio.cfg's security headers (pytest-invenio's would block every script
    # and stylesheet in the browser tests).
    app_config.pop("APP_DEFAULT_SECURE_HEADERS", None)
    app_config.update(
        SEARCH_INDEX_PREFIX=os.environ.get("CS4OD_TEST_INDEX_PREFIX", "cs4od-test-"),
        CACHE_REDIS_URL=f"{_redis}/{TEST_REDIS_DBS[0]}",
        IIIF_CACHE_REDIS_URL=f"{_redis}/{TEST_REDIS_DBS[0]}",
        ACCOUNTS_SESSION_REDIS_URL=f"{_redis}/{TEST_REDIS_DBS[1]}",
        COMMUNITIES_IDENTITIES_CACHE_REDIS_URL=f"{_redis}/{TEST_REDIS_DBS[2]}",
        RATELIMIT_STORAGE_URI=f"{_redis}/{TEST_REDIS_DBS[3]}",
        BROKER_URL=f"{_redis}/{TEST_REDIS_DBS[4]}",
        CELERY_BROKER_URL=f"{_redis}/{TEST_REDIS_DBS[4]}",
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


RESOURCE_TYPES = {"dataset", "software", "software-computationalnotebook", "publication",
                  "publication-article"}


def load_resource_types():
    """Create (if missing) and index InvenioRDM's own entries for a few resource types."""
    import invenio_rdm_records
    from invenio_vocabularies.records.models import VocabularyType

    path = (Path(invenio_rdm_records.__file__).parent / "fixtures" / "data"
            / "vocabularies" / "resource_types.yaml")
    if not VocabularyType.query.filter_by(id="resourcetypes").first():
        vocabulary_service.create_type(system_identity, "resourcetypes", "rsrct")
        for entry in yaml.safe_load(path.read_text()):
            if entry["id"] in RESOURCE_TYPES:
                vocabulary_service.create(system_identity, {**entry, "type": "resourcetypes"})
    else:
        # Indices may have been emptied by search_clear: index the stored entries again.
        for id_ in RESOURCE_TYPES:
            record = vocabulary_service.record_cls.pid.resolve(("resourcetypes", id_))
            vocabulary_service.indexer.index(record)
    vocabulary_service.indexer.refresh()
    return sorted(RESOURCE_TYPES)


def load_licenses(ids=("mit", "cc-by-4.0")):
    """Create a few licences from InvenioRDM's own licence list."""
    import csv

    import invenio_rdm_records
    from invenio_vocabularies.records.models import VocabularyType

    path = (Path(invenio_rdm_records.__file__).parent / "fixtures" / "data"
            / "vocabularies" / "licenses.csv")
    if VocabularyType.query.filter_by(id="licenses").first():
        return list(ids)
    vocabulary_service.create_type(system_identity, "licenses", "lic")
    with path.open() as stream:
        for row in csv.DictReader(stream):
            if row["id"] in ids:
                vocabulary_service.create(system_identity, {
                    "id": row["id"],
                    "type": "licenses",
                    "title": {"en": row["title__en"]},
                    "description": {"en": row["description__en"]},
                    "tags": row["tags"].split(","),
                    "props": {"url": row["props__url"], "scheme": row["props__scheme"],
                              "osi_approved": row["props__osi_approved"]},
                })
    vocabulary_service.indexer.refresh()
    return list(ids)


RELATION_TYPES = ("isidenticalto", "isversionof", "issupplementto", "isderivedfrom")


def load_relation_types(ids=RELATION_TYPES):
    """Create a few relation types from InvenioRDM's own list."""
    import invenio_rdm_records
    from invenio_vocabularies.records.models import VocabularyType

    path = (Path(invenio_rdm_records.__file__).parent / "fixtures" / "data"
            / "vocabularies" / "relation_types.yaml")
    if VocabularyType.query.filter_by(id="relationtypes").first():
        return list(ids)
    vocabulary_service.create_type(system_identity, "relationtypes", "rlt")
    for entry in yaml.safe_load(path.read_text()):
        if entry["id"] in ids:
            vocabulary_service.create(system_identity, {**entry, "type": "relationtypes"})
    vocabulary_service.indexer.refresh()
    return list(ids)


@pytest.fixture()
def relation_types(app, db):
    """A few relation types, for tests that roll back the database."""
    return load_relation_types()


@pytest.fixture()
def resource_types(app, db):
    """Resource types, for tests that roll back the database."""
    return load_resource_types()


@pytest.fixture()
def licenses(app, db):
    """A few licences, for tests that roll back the database."""
    return load_licenses()


@pytest.fixture(scope="module")
def resource_types_committed(app, database):
    """Resource types and licences, committed for a whole module (browser tests)."""
    load_licenses()
    load_relation_types()
    return load_resource_types()


@pytest.fixture()
def owner(UserFixture, app, db):
    """A depositor with a confirmed account."""
    user = UserFixture(email="owner@example.org", password="owner-password")
    user.create(app, db)
    return user


@pytest.fixture()
def owner_token(owner, db):
    """A personal access token of the owner, as an API client would use."""
    return token_for(owner, db)


@pytest.fixture()
def auth(owner_token):
    """The owner's request headers for the REST API (bearer token)."""
    return {"authorization": f"Bearer {owner_token}"}



@pytest.fixture(scope="module")
def zenodo():
    """A local Zenodo REST API replaying real recorded answers (tests/standins)."""
    from standins.zenodo_rest import ZenodoStandIn

    standin = ZenodoStandIn().start()
    yield standin
    standin.stop()
