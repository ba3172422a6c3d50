"""Instance commands: one idempotent set-up step and the demo content.

Every step checks what is already there, so ``invenio site setup`` can run on each
start. All steps run in one process because each ``invenio`` call costs ~10 s of
application start-up.
"""

import time
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from invenio_access.models import ActionRoles
from invenio_access.permissions import superuser_access
from invenio_accounts.proxies import current_datastore
import invenio_app_rdm.fixtures
from invenio_app_rdm.fixtures import Pages
from invenio_app_rdm.fixtures.oai_sets import OAICustomSets
from invenio_communities.cli import create_communities_custom_field
from invenio_db import db
from invenio_db.cli import create as db_create
from invenio_files_rest.models import Location
from invenio_rdm_records.cli import create_fixtures as rdm_records_fixtures
from invenio_rdm_records.cli import create_records_custom_field
from invenio_rdm_records.oaiserver.services.errors import OAIPMHSetSpecAlreadyExistsError
from invenio_search.proxies import current_search, current_search_client
from invenio_search.utils import build_alias_name
from sqlalchemy import inspect

from cs4od_invenio.vocabularies import load_vocabularies

from .demo import load_demo

ADMIN_ROLE = "admin"


def _step(title):
    click.secho(f"==> {title}", fg="cyan", err=True)


def _database_is_initialised():
    return inspect(db.engine).has_table("accounts_user")


def _ensure_location(files_path):
    if Location.get_default():
        return False
    Path(files_path).mkdir(parents=True, exist_ok=True)
    db.session.add(
        Location(name="default-location", uri=Path(files_path).as_uri(), default=True)
    )
    db.session.commit()
    return True


def _ensure_admin(email, password):
    from flask_security.utils import hash_password

    role = current_datastore.find_role(ADMIN_ROLE) or current_datastore.create_role(
        id=ADMIN_ROLE, name=ADMIN_ROLE, description="CS4OD administrators"
    )
    if not ActionRoles.query.filter_by(
        action=superuser_access.value, role_id=role.id
    ).first():
        db.session.add(ActionRoles.allow(superuser_access, role=role))
    user = current_datastore.get_user(email)
    created = user is None
    if created:
        user = current_datastore.create_user(
            email=email,
            password=hash_password(password),
            active=True,
            confirmed_at=datetime.now(timezone.utc),
        )
    current_datastore.add_role_to_user(user, role)
    db.session.commit()
    return created


def _ensure_indices():
    """Put the templates and create the indices and aliases that are missing.

    ``invenio index init --force`` refuses to run when a write alias exists, so a
    second start could not use it; this creates only what a new module brought.
    """
    for put in (
        current_search.put_templates,
        current_search.put_component_templates,
        current_search.put_index_templates,
    ):
        for _ in put(ignore=[400]):
            pass
    missing = [
        name
        for name in current_search.mappings
        if not current_search_client.indices.exists_alias(name=build_alias_name(name))
    ]
    if missing:
        for _ in current_search.create(ignore_existing=True, index_list=missing):
            pass
    return missing


class _OAISetsOnce(OAICustomSets):
    """RDM's OAI-PMH sets fixture, skipping the sets that already exist."""

    def create(self, entry):
        try:
            super().create(entry)
        except OAIPMHSetSpecAlreadyExistsError:
            pass


def _load_app_fixtures():
    """RDM's application fixtures (OAI-PMH sets, static pages), idempotently."""
    instance_data = Path(current_app.instance_path) / "app_data"
    upstream_data = Path(invenio_app_rdm.fixtures.__file__).parent / "data"
    _OAISetsOnce([instance_data, upstream_data], "oai_sets.yaml").load()
    Pages().run(force=True)


def _rdm_vocabularies_loaded():
    from invenio_vocabularies.records.models import VocabularyType

    return VocabularyType.query.filter_by(id="resourcetypes").first() is not None


def wait_for_celery(timeout, poll=5):
    """Wait until the Celery queues are empty and no worker holds a task."""
    deadline = time.monotonic() + timeout
    app = current_app.extensions["flask-celeryext"].celery
    queue_names = {q.name for q in app.conf.task_queues or []} | {"celery"}
    idle_rounds = 0
    while time.monotonic() < deadline:
        with app.connection_for_read() as conn:
            with conn.channel() as channel:
                waiting = sum(
                    channel.client.llen(name) for name in queue_names
                )
        inspector = app.control.inspect(timeout=2)
        busy = sum(
            len(tasks)
            for report in (inspector.active() or {}, inspector.reserved() or {})
            for tasks in report.values()
        )
        click.echo(f"    {waiting} queued, {busy} running", err=True)
        # Two idle readings in a row: a task may enqueue others as it finishes.
        idle_rounds = idle_rounds + 1 if waiting + busy == 0 else 0
        if idle_rounds >= 2:
            return True
        time.sleep(poll)
    return False


@click.group()
def site():
    """CS4OD instance commands."""


@site.command("setup")
@click.option("--files-path", envvar="CS4OD_FILES_PATH", required=True,
              help="Folder of the default files location.")
@click.option("--admin-email", envvar="CS4OD_ADMIN_EMAIL", default="admin@cs4od.local",
              show_default=True)
@click.option("--admin-password", envvar="CS4OD_ADMIN_PASSWORD", required=True)
@click.option("--demo/--no-demo", default=True, help="Load the demo content.")
@click.option("--wait-timeout", default=1800, show_default=True,
              help="Seconds to wait for the fixture tasks to be processed.")
@click.pass_context
@with_appcontext
def setup(ctx, files_path, admin_email, admin_password, demo, wait_timeout):
    """Initialise (or bring up to date) database, files, users, indices, fixtures."""
    started = time.monotonic()
    _step("database tables")
    if _database_is_initialised():
        # Tables of modules added or upgraded since the first set-up.
        current_app.extensions["invenio-db"].alembic.upgrade()
        click.echo("    already there, migrated to the latest revisions", err=True)
    else:
        ctx.invoke(db_create)

    _step("files location")
    click.echo("    created" if _ensure_location(files_path) else "    already there",
               err=True)

    _step("admin role and user")
    created = _ensure_admin(admin_email, admin_password)
    click.echo(f"    {admin_email} {'created' if created else 'already there'}", err=True)

    _step("search indices and templates")
    created = _ensure_indices()
    click.echo(f"    {len(created)} created" if created else "    already there", err=True)

    _step("custom fields")
    # Upstream commands exit the process when nothing is configured: ask first.
    if current_app.config.get("RDM_CUSTOM_FIELDS"):
        ctx.invoke(create_records_custom_field, field_name=())
    if current_app.config.get("COMMUNITIES_CUSTOM_FIELDS"):
        ctx.invoke(create_communities_custom_field, field_name=())

    _step("vocabularies and fixtures (Celery tasks)")
    if _rdm_vocabularies_loaded():
        click.echo("    already loaded", err=True)
    else:
        ctx.invoke(rdm_records_fixtures)
    _load_app_fixtures()
    for type_id, count in load_vocabularies().items():
        click.echo(f"    {type_id}: {count} entries added", err=True)

    _step("waiting for the Celery worker to process the fixture tasks")
    if not wait_for_celery(wait_timeout):
        raise click.ClickException(
            f"Celery tasks still pending after {wait_timeout} s: is the worker running? "
            "See its log (scripts/cs4od status)."
        )
    current_search_client.indices.refresh()

    if demo:
        _step("demo content")
        for line in load_demo(owner_email=admin_email):
            click.echo(f"    {line}", err=True)

    click.secho(f"Instance ready ({time.monotonic() - started:.0f} s).", fg="green",
                err=True)


@site.command("demo")
@click.option("--owner-email", envvar="CS4OD_ADMIN_EMAIL", default="admin@cs4od.local",
              show_default=True, help="Owner of the demo project and community.")
@with_appcontext
def demo_command(owner_email):
    """Load the demo content (idempotent)."""
    for line in load_demo(owner_email=owner_email):
        click.echo(line)
