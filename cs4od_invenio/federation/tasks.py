"""Celery task of a community harvest, run by invenio-jobs (see ``jobs.py``)."""

import re
import time

import sqlalchemy as sa
from celery import shared_task
from flask import current_app
from invenio_db import db
from invenio_jobs.errors import TaskExecutionPartialError
from invenio_jobs.logging.jobs import job_context
from invenio_jobs.models import Run, RunStatusEnum

PROGRESS_EVERY = 1.0
"""Seconds between two progress writes into the run."""

MAX_LISTED_FAILURES = 20

ANNOUNCED = "The source announces {} records."
"""The message of a run under way once the source said how long its list is."""
_ANNOUNCED = re.compile(r"^The source announces (\d+) records\.$")


class HarvestFailed(Exception):
    """The source failed before any record was harvested (the run is "failed")."""


class RunProgress:
    """Counts of a harvest under way, written into its invenio-jobs run now and then."""

    def __init__(self, run_id, clock=time.monotonic):
        """``run_id`` of the run, or None outside a job (nothing is written then)."""
        self.run_id = run_id
        self.clock = clock
        self.seen = 0
        self.failed = 0
        self._last = None

    def announce(self, expected):
        """Write the size of the list the source announced (``None``: it did not say).

        invenio-jobs has no column for it: it is the run's message until the report
        replaces it (as invenio-jobs itself reports the progress of subtasks).
        """
        if expected is not None:
            self.write(force=True, message=ANNOUNCED.format(expected))

    def wrap(self, entries):
        """Pass the pipeline's entries through, counting them."""
        for entry in entries:
            self.seen += 1
            if entry.errors:
                self.failed += 1
            self.write()
            yield entry

    def write(self, force=False, **values):
        """Store the counts (at most every ``PROGRESS_EVERY`` seconds unless forced)."""
        now = self.clock()
        if self.run_id is None or (
            not force and self._last is not None and now - self._last < PROGRESS_EVERY
        ):
            return
        self._last = now
        values.setdefault("total_entries", self.seen)
        values.setdefault("errored_entries", self.failed)
        db.session.execute(sa.update(Run).where(Run.id == self.run_id).values(**values))
        db.session.commit()


def announced(run):
    """The size of its list the source announced to ``run`` under way, or None."""
    match = _ANNOUNCED.match(run.message or "")
    return int(match.group(1)) if match else None


def _report(summary):
    lines = [summary.line + "."]
    for identifier, reason in summary.failures[:MAX_LISTED_FAILURES]:
        lines.append(f"Failed {identifier}: {reason}")
    if len(summary.failures) > MAX_LISTED_FAILURES:
        lines.append(
            f"… and {len(summary.failures) - MAX_LISTED_FAILURES} more failures."
        )
    if summary.reconciliation is not None:
        lines.append(summary.reconciliation.line)
    if summary.run.error:
        lines.append(
            f"Stopped early: {summary.run.error}. The next harvest starts again "
            f"from {summary.from_ or 'the beginning'}."
        )
    else:
        lines.append(f"Next harvest from {summary.checkpoint or 'the beginning'}.")
    return "\n".join(lines)


def _other_run_under_way(run_id):
    """Another run of the same job that is running (and not given up for dead)."""
    from .sources import is_stale

    run = db.session.get(Run, run_id) if run_id else None
    if run is None:
        return None
    others = Run.query.filter(
        Run.job_id == run.job_id, Run.id != run.id, Run.status == RunStatusEnum.RUNNING
    )
    return next((other for other in others if not is_stale(other)), None)


@shared_task(ignore_result=True)
def harvest_community_task(
    community, target=None, base_url=None, metadata_prefix="oai_datacite"
):
    """Harvest the Zenodo community ``community`` into the local community ``target``.

    The run ends "partial success" (``TaskExecutionPartialError``) when some records
    failed or the source failed after some were written, and
    "failed" (``HarvestFailed``) when the source failed before anything was written.
    """
    from .fetch import HttpFetcher
    from .sources import default_base_url
    from .writer import harvest_community

    run_id = (job_context.get() or {}).get("run_id")
    busy = _other_run_under_way(run_id)
    if busy:
        raise HarvestFailed(
            "Not started: another harvest of this community is under way "
            f"(started {busy.started_at:%Y-%m-%d %H:%M} UTC)."
        )
    base_url = base_url or default_base_url()
    fetch = HttpFetcher(base_url, **current_app.config.get("CS4OD_HARVEST_HTTP", {}))
    progress = RunProgress(run_id)
    summary = harvest_community(
        community,
        target_slug=target,
        base_url=base_url,
        metadata_prefix=metadata_prefix,
        fetch=fetch,
        wrap=progress.wrap,
        on_announced=progress.announce,
    )
    report = _report(summary)
    progress.write(
        force=True,
        inserted_entries=summary.count("created"),
        updated_entries=summary.count("updated"),
        message=report,
    )
    if summary.run.error:
        if not summary.run.entries:
            raise HarvestFailed(report)
    if summary.run.error or summary.failures:
        # The failed records are counted in the run already (``RunProgress``):
        # invenio-jobs adds ``errored_entries_count`` to that count.
        raise TaskExecutionPartialError(report)
    return report
