"""Models and migrations of CS4OD agree; the branch upgrades and downgrades cleanly."""

from invenio_db import db
from sqlalchemy import inspect

BRANCH_BASE = "cs4od_invenio@base"
TABLES = {
    "cs4od_projects_parents_metadata",
    "cs4od_projects_metadata",
    "cs4od_projects_metadata_version",
    "cs4od_projects_drafts_metadata",
    "cs4od_projects_versions_state",
    "cs4od_projects_parents_community",
    "cs4od_zenodo_imports",
    "cs4od_tabular_previews",
    "cs4od_explorations",
    "cs4od_reana_specs",
    "cs4od_runs",
    "cs4od_reana_tokens",
    "cs4od_harvested",
    "cs4od_harvest_checkpoints",
    "cs4od_harvest_memberships",
}


def _ours(diff):
    """Whether an autogenerate difference concerns a CS4OD table."""
    return "cs4od_" in repr(diff)


def _tables():
    return {t for t in inspect(db.engine).get_table_names() if t.startswith("cs4od_")}


def test_migrations_match_models(base_app):
    """alembic upgrade heads on an empty database gives exactly the tables of the models."""
    with base_app.app_context():
        alembic = base_app.extensions["invenio-db"].alembic
        alembic.upgrade()
        assert _tables() == TABLES
        assert [d for d in alembic.compare_metadata() if _ours(d)] == []

        alembic.downgrade(target=BRANCH_BASE)
        assert _tables() == set()

        alembic.upgrade()
        assert _tables() == TABLES
        db.session.remove()
        db.engine.dispose()
