"""Celery task of reproducible runs (never in the web process)."""

from celery import shared_task

from .service import execute


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_project(run_id):
    """Run a project's reana.yaml on the local runner."""
    execute(run_id)
