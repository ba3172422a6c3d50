"""Celery task of the Zenodo import."""

from celery import shared_task
from flask import current_app

from .importer import run_import
from .zenodo_client import ZenodoUnavailable


@shared_task(bind=True, ignore_result=True)
def import_zenodo_record(self, import_id):
    """Import the Zenodo record of row ``import_id``; retry while Zenodo is unreachable."""
    try:
        run_import(import_id)
    except ZenodoUnavailable as error:
        retries = current_app.config["CS4OD_ZENODO_IMPORT_RETRIES"]
        if self.request.retries < retries and not self.app.conf.task_always_eager:
            from .models import ZenodoImport
            from invenio_db import db

            row = db.session.get(ZenodoImport, import_id)
            row.status = "queued"
            row.message = f"{error} Trying again (attempt {self.request.retries + 2} " \
                          f"of {retries + 1})."
            db.session.commit()
            raise self.retry(countdown=30 * 2**self.request.retries)
