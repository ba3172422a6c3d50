"""Celery beat scheduler of invenio-jobs runs that also notices jobs scheduled later.

invenio-jobs' ``RunScheduler`` reads the scheduled jobs when beat starts and re-reads
them only after it has sent a run: on an instance with no scheduled job at start (a
fresh portal), a harvest a curator schedules afterwards would never run. This one reads
the jobs table every ``sync_every`` seconds whatever happened.

    celery --app invenio_app.celery beat --scheduler cs4od_invenio.scheduler:RunScheduler
"""

from invenio_jobs.services.scheduler import RunScheduler as JobsRunScheduler


class RunScheduler(JobsRunScheduler):
    """invenio-jobs' scheduler, synchronised with the jobs table every minute."""

    sync_every = 60

    def tick(self, *args, **kwargs):
        """Re-read the jobs when due, then do beat's tick; never sleep past the next read."""
        if self.should_sync():
            self._do_sync()
        return min(super().tick(*args, **kwargs), self.sync_every)
