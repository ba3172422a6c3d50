"""A community's Zenodo harvest, as its curators manage it.

A local community may mirror one Zenodo community. Its curators (curators, managers and
owners: those who review its requests) choose the Zenodo community and a schedule; that
is kept as an invenio-jobs job (``jobs.HarvestCommunityJob``), each harvest is a run of
the job, and its progress and summary are the run's.
"""

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from flask import current_app
from flask_principal import Identity
from invenio_access import Permission
from invenio_access.permissions import superuser_access, system_identity, system_process
from invenio_communities.proxies import current_communities
from invenio_db import db
from invenio_i18n import lazy_gettext as _
from invenio_jobs.models import Job, Run, RunStatusEnum
from invenio_jobs.proxies import (
    current_jobs,
    current_jobs_service,
    current_runs_service,
)
from invenio_records_resources.services.errors import PermissionDeniedError
from marshmallow import Schema, ValidationError, fields, validate, validates

from .jobs import JOB_ID
from .models import HarvestCheckpoint, HarvestedRecord, HarvestMembership
from .tasks import announced

SCHEDULES = {
    "daily": {"type": "interval", "days": 1},
    "weekly": {"type": "interval", "weeks": 1},
}

RECENT_RUNS = 10

STALE_AFTER = timedelta(hours=6)
"""A run queued or running without news for this long is taken as dead."""

ZENODO_COMMUNITY_URL = re.compile(r"^/(?:communities|collection)/(?:user-)?([^/?#]+)")
SET_SPEC = re.compile(r"^user-([a-z0-9][a-z0-9_-]*)$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class HarvestAlreadyRunning(Exception):
    """A harvest of this community is queued or under way."""


def zenodo_community_slug(value):
    """The Zenodo community named by ``value``: its identifier, set or page URL."""
    value = (value or "").strip()
    if value.startswith(("http://", "https://")):
        match = ZENODO_COMMUNITY_URL.match(urlsplit(value).path)
        if not match:
            raise ValueError(
                _(
                    "Give a community page such as "
                    "https://zenodo.org/communities/<identifier>."
                )
            )
        value = match.group(1)
    match = SET_SPEC.match(value)
    if match:
        value = match.group(1)
    value = value.lower()
    if not SLUG.match(value):
        raise ValueError(
            _(
                "A Zenodo community identifier has lowercase letters, digits, "
                "'-' and '_' only (e.g. 'covid-19')."
            )
        )
    return value


class SourceSchema(Schema):
    """What a curator sends to set up the harvest of a Zenodo community."""

    zenodo_community = fields.String(required=True)
    schedule = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(
            list(SCHEDULES), error=_("Choose daily, weekly or none.")
        ),
    )
    base_url = fields.Url(
        load_default=None, allow_none=True, require_tld=False, schemes={"http", "https"}
    )
    metadata_prefix = fields.String(
        load_default="oai_datacite",
        validate=validate.OneOf(["oai_datacite", "oai_datacite3", "datacite"]),
    )

    @validates("zenodo_community")
    def _community(self, value, **kwargs):
        try:
            zenodo_community_slug(value)
        except ValueError as error:
            raise ValidationError(str(error)) from error


def default_base_url():
    """Zenodo's OAI-PMH base URL (``CS4OD_ZENODO_URL`` + ``/oai2d``)."""
    return current_app.config["CS4OD_ZENODO_URL"].rstrip("/") + "/oai2d"


def _community(identity, slug):
    return current_communities.service.read(identity, slug)


def can_curate(identity, community):
    """Whether ``identity`` curates ``community`` (a service result item)."""
    return current_communities.service.check_permission(
        identity, "search_requests", record=community._record
    )


def _require_curator(identity, slug):
    community = _community(identity, slug)
    if not can_curate(identity, community):
        raise PermissionDeniedError("search_requests")
    return community


def _is_admin(identity):
    return Permission(superuser_access).allows(identity)


def find_job(slug):
    """The harvest job of the local community ``slug``, or None."""
    for job in Job.query.filter_by(task=JOB_ID).order_by(Job.created):
        if (job.run_args or {}).get("target") == slug:
            return job
    return None


def _schedule_name(job):
    for name, schedule in SCHEDULES.items():
        if job.schedule == schedule:
            return name
    return None


def _when(value):
    return value.replace(tzinfo=timezone.utc).isoformat() if value else None


def _message(run):
    """The run's report, without the traceback invenio-jobs adds to unexpected errors."""
    text = run.message or ""
    text = text.split("\nTraceback (most recent call last)")[0]
    for prefix in ("HarvestFailed: ",):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text.strip() or None


def _run_dict(run):
    status = run.status.name.lower() if run.status else None
    if is_stale(run):
        status = "failed"
    return {
        "id": str(run.id),
        "status": status,
        "created": _when(run.created),
        "started_at": _when(run.started_at),
        "finished_at": _when(run.finished_at),
        "seen": run.total_entries or 0,
        "expected": announced(run) if status == "running" else None,
        "created_records": run.inserted_entries or 0,
        "updated_records": run.updated_entries or 0,
        "failed_records": run.errored_entries or 0,
        "message": (
            _message(run)
            if not is_stale(run)
            else "No news from the worker for a long time: this harvest was stopped."
        ),
        "started_by": run.started_by_id,
    }


def is_stale(run):
    """Queued or running, without news for ``STALE_AFTER``: its worker is taken as dead."""
    if run.status not in (RunStatusEnum.QUEUED, RunStatusEnum.RUNNING):
        return False
    updated = run.updated.replace(tzinfo=timezone.utc) if run.updated else None
    return updated is not None and datetime.now(timezone.utc) - updated > STALE_AFTER


def _harvested(slug):
    """Records harvested into the community ``slug``."""
    return HarvestedRecord.query.join(
        HarvestMembership,
        HarvestMembership.oai_identifier == HarvestedRecord.oai_identifier,
    ).filter(HarvestMembership.community_slug == slug)


def describe(identity, slug):
    """What the page shows: the source, schedule, counts and recent runs."""
    community = _require_curator(identity, slug)
    job = find_job(slug)
    data = {
        "community": {
            "slug": slug,
            "id": str(community.id),
            "title": community.data["metadata"].get("title"),
        },
        "source": None,
        "runs": [],
        "can_set_base_url": _is_admin(identity),
        "records": _harvested(slug).filter(HarvestedRecord.deleted.is_(False)).count(),
        "withdrawn": _harvested(slug).filter(HarvestedRecord.deleted.is_(True)).count(),
    }
    checkpoint = db.session.get(HarvestCheckpoint, slug)
    data["checkpoint"] = checkpoint.last_datestamp if checkpoint else None
    if job is None:
        return data
    args = job.run_args or {}
    data["source"] = {
        "zenodo_community": args.get("community"),
        "set_spec": f"user-{args.get('community')}",
        "base_url": args.get("base_url") or default_base_url(),
        "metadata_prefix": args.get("metadata_prefix") or "oai_datacite",
        "schedule": _schedule_name(job) if job.active else None,
        "active": job.active,
        "job_id": str(job.id),
    }
    runs = job.runs.order_by(Run.created.desc()).limit(RECENT_RUNS)
    data["runs"] = [_run_dict(run) for run in runs]
    return data


def _save_job(job, data):
    """Create the harvest job (``job`` None) or change it, through invenio-jobs' service.

    The caller has checked that its user curates the community: the service, which
    lets administrators only, is called as the system.
    """
    data = {**data, "task": JOB_ID, "default_queue": current_jobs.default_queue}
    if job is None:
        current_jobs_service.create(system_identity, data)
        return
    # The service sets every field it is given: keep what an administrator chose.
    notifications = job.notifications or {}
    data["notification_emails"] = notifications.get("emails")
    data["notification_statuses"] = notifications.get("statuses")
    data["default_queue"] = job.default_queue or data["default_queue"]
    current_jobs_service.update(system_identity, str(job.id), data)


def _on_behalf_of(identity):
    """``identity`` (whose permission was checked here) as a system process too.

    invenio-jobs lets administrators and the system start runs, and records who started
    one from the identity it is given: the curator's, which may then act as the system.
    """
    acting = Identity(identity.id)
    acting.provides.update(identity.provides)
    acting.provides.add(system_process)
    return acting


def configure(identity, slug, payload):
    """Set up (or change) the harvest of ``slug``; ``ValidationError`` on bad input."""
    _require_curator(identity, slug)
    data = SourceSchema().load(payload or {})
    if data.get("base_url") and not _is_admin(identity):
        raise ValidationError(
            {"base_url": [_("Only administrators may harvest from another server.")]}
        )
    zenodo = zenodo_community_slug(data["zenodo_community"])
    run_args = {
        "community": zenodo,
        "target": slug,
        "base_url": data.get("base_url"),
        "metadata_prefix": data["metadata_prefix"],
    }
    _save_job(
        find_job(slug),
        {
            "title": f"Harvest Zenodo community {zenodo} into {slug}"[:250],
            "description": f"OAI-PMH set user-{zenodo}",
            "active": True,
            "schedule": SCHEDULES.get(data.get("schedule")),
            "run_args": run_args,
        },
    )
    return describe(identity, slug)


def stop_harvesting(identity, slug):
    """No more scheduled harvests (the records harvested stay)."""
    _require_curator(identity, slug)
    job = find_job(slug)
    if job is not None:
        _save_job(
            job,
            {
                "title": job.title,
                "description": job.description,
                "active": False,
                "schedule": None,
                "run_args": job.run_args,
            },
        )
    return describe(identity, slug)


def start(identity, slug):
    """Queue a harvest now; ``HarvestAlreadyRunning`` if one is queued or under way."""
    _require_curator(identity, slug)
    job = find_job(slug)
    if job is None or not job.active:
        raise ValidationError(
            {"zenodo_community": [_("Choose the Zenodo community to harvest first.")]}
        )
    busy = [
        run
        for run in job.runs.filter(
            Run.status.in_([RunStatusEnum.QUEUED, RunStatusEnum.RUNNING])
        )
        if not is_stale(run)
    ]
    if busy:
        raise HarvestAlreadyRunning(str(busy[0].id))
    current_runs_service.create(
        _on_behalf_of(identity),
        str(job.id),
        {"title": f"Harvest started by user {identity.id}"},
    )
    return describe(identity, slug)
