"""Celery tasks of tabular previews."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from invenio_db import db

from .models import TabularPreview
from .service import make, schedule


@shared_task(ignore_result=True)
def schedule_previews(record_id):
    """Queue a preview task for each tabular file of a record that needs one."""
    keys = schedule(record_id)
    db.session.commit()
    for key in keys:
        make_preview.delay(record_id, key)


# acks_late + reject_on_worker_lost: a preview whose worker died is delivered again.
TIME_LIMIT = 600


@shared_task(bind=True, ignore_result=True, acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=TIME_LIMIT, time_limit=TIME_LIMIT + 60, max_retries=3)
def make_preview(self, record_id, key):
    """Make the preview of one file; retry while the storage is unreachable."""
    try:
        make(record_id, key)
    except OSError as error:
        if self.request.retries < self.max_retries and not self.app.conf.task_always_eager:
            raise self.retry(countdown=10 * 2**self.request.retries)
        _fail(record_id, key, f"The file could not be read from storage ({error}).")
    except SoftTimeLimitExceeded:
        _fail(record_id, key, f"The preview took longer than {TIME_LIMIT} seconds.")


def _fail(record_id, key, message):
    db.session.rollback()
    row = TabularPreview.query.filter_by(record_id=record_id, file_key=key).one()
    row.status, row.message = "failed", message
    db.session.commit()


@shared_task(bind=True, ignore_result=True, acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=TIME_LIMIT, time_limit=TIME_LIMIT + 60, max_retries=3)
def compute_exploration(self, exploration_id):
    """Compute a chart, analysis or concatenation saved on a project."""
    from .explorations import compute
    from .models import Exploration

    try:
        compute(exploration_id)
    except OSError as error:
        if self.request.retries < self.max_retries and not self.app.conf.task_always_eager:
            raise self.retry(countdown=10 * 2**self.request.retries)
        message = f"A table could not be read from storage ({error})."
    except SoftTimeLimitExceeded:
        message = f"It took longer than {TIME_LIMIT} seconds."
    else:
        return
    db.session.rollback()
    row = db.session.get(Exploration, exploration_id)
    row.status, row.message = "failed", message
    db.session.commit()
