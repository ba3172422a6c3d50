"""``invenio cs4od ...`` commands."""

import sys

import click
from flask.cli import with_appcontext
from invenio_access.permissions import system_identity
from invenio_db import db


@click.group()
def cs4od():
    """CS4OD commands."""


@cs4od.group()
def zenodo():
    """Records from Zenodo."""


@zenodo.command("import")
@click.argument("reference")
@click.option("--project", "project_id", help="Id of a project to link the copy into.")
@click.option("--owner", "owner_email", help="E-mail of the user who will own the copy "
              "(default: the system).")
@with_appcontext
def import_record(reference, project_id, owner_email):
    """Import the Zenodo record REFERENCE (DOI, record URL or id), with a progress bar."""
    from invenio_accounts.proxies import current_datastore
    from marshmallow import ValidationError

    from .datasets.importer import request_import, run_import, status
    from .datasets.zenodo_client import ZenodoUnavailable

    user_id = None
    if owner_email:
        user = current_datastore.get_user(owner_email)
        if user is None:
            raise click.BadParameter(f"no user {owner_email}", param_hint="--owner")
        user_id = user.id
    try:
        row = request_import(system_identity, reference, project_id, user_id=user_id)
    except ValidationError as error:
        raise click.BadParameter(" ".join(error.messages["reference"]),
                                 param_hint="REFERENCE")
    if row.status != "queued":
        db.session.commit()
        click.echo(f"Zenodo record {row.zenodo_id} is already being imported.", err=True)
        sys.exit(1)
    db.session.commit()

    bar = {}

    def show(progress):
        total = progress.get("bytes_total")
        if total is not None and "bar" not in bar:
            click.echo(f"{progress.get('title', '')}: {progress.get('files_total')} "
                       f"file(s), {total:,} bytes", err=True)
            bar["bar"] = click.progressbar(length=max(total, 1), label="Downloading",
                                           file=sys.stderr)
            bar["bar"].__enter__()
            bar["done"] = 0
        if "bar" in bar:
            done = progress.get("bytes_done", 0)
            bar["bar"].update(done - bar["done"])
            bar["done"] = done

    try:
        row = run_import(row.id, progress_hook=show)
    except ZenodoUnavailable:
        row = db.session.merge(row)
    finally:
        if "bar" in bar:
            bar["bar"].__exit__(None, None, None)
    result = status(row)
    if result["status"] != "succeeded":
        click.echo(f"Import failed: {result['message']}", err=True)
        sys.exit(1)
    click.echo(f"Imported as {result['links']['record_html']}")
    if result["message"]:
        click.echo(result["message"])


@cs4od.command("harvest")
@click.argument("community")
@click.option("--base-url", default=None, help="OAI-PMH base URL (default: Zenodo's).")
@click.option("--prefix", "metadata_prefix", default="oai_datacite", show_default=True,
              help="OAI-PMH metadata format (DataCite).")
@click.option("--from", "from_", default=None,
              help="Harvest changes since this date (default: the last harvest's).")
@click.option("--set", "set_spec", default=None,
              help="OAI-PMH set (default: user-COMMUNITY; empty for the whole repository).")
@click.option("--into", "target", default=None,
              help="Existing local community to harvest into (default: zenodo-COMMUNITY).")
@click.option("--no-reconcile", is_flag=True,
              help="Do not withdraw the records the source no longer lists.")
@click.option("--allow-mass-withdrawal", is_flag=True,
              help="Withdraw them even if they are more than half of those harvested.")
@with_appcontext
def harvest_command(community, base_url, metadata_prefix, from_, set_spec, target,
                    no_reconcile, allow_mass_withdrawal):
    """Harvest the Zenodo community COMMUNITY into a local community (zenodo-COMMUNITY)."""
    from .federation.harvest import ZENODO_OAI
    from .federation.writer import (
        TargetCommunityMissing,
        entry_identifier,
        harvest_community,
    )

    def progress(entries):
        with click.progressbar(entries, label=f"Harvesting {community}", file=sys.stderr,
                               item_show_func=lambda e: e and entry_identifier(e)) as bar:
            yield from bar

    try:
        summary = harvest_community(
            community, target_slug=target, base_url=base_url or ZENODO_OAI,
            metadata_prefix=metadata_prefix, set_spec=set_spec, from_=from_, wrap=progress,
            reconcile_deletions=not no_reconcile,
            allow_mass_withdrawal=allow_mass_withdrawal)
    except TargetCommunityMissing as error:
        raise click.UsageError(str(error)) from None
    click.echo(summary.line)
    for identifier, reason in summary.failures:
        click.echo(f"  failed {identifier}: {reason}")
    reconciliation = summary.reconciliation
    if reconciliation is not None:
        click.echo(reconciliation.line, err=bool(reconciliation.refused))
        for identifier in reconciliation.withdrawn:
            click.echo(f"  withdrawn {identifier}")
        for identifier, reason in reconciliation.failures:
            click.echo(f"  not withdrawn {identifier}: {reason}")
    if summary.run.error:
        click.echo(f"Harvest stopped early: {summary.run.error}", err=True)
        click.echo("The next harvest starts again from "
                   f"{summary.from_ or 'the beginning'}.", err=True)
        sys.exit(1)
    click.echo(f"Next harvest from {summary.checkpoint or 'the beginning'}.")
