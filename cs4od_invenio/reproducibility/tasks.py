"""Celery tasks of reproducible runs (never in the web process)."""

from celery import shared_task
from flask import current_app

from .execution import execute, poll_reana


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_project(run_id):
    """Run a project's reana.yaml on the local runner, or submit it to REANA."""
    execute(run_id)


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def poll_reana_run(run_id):
    """Follow a run on REANA for a while; hand over to a later task while it goes on
    (so no worker waits hours for one run)."""
    if poll_reana(run_id):
        poll_reana_run.apply_async(
            (run_id,), countdown=current_app.config["CS4OD_REANA_POLL_INTERVAL"])
