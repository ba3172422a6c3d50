"""The harvest of a Zenodo community as an invenio-jobs job.

One job per local community that mirrors a Zenodo community: its ``run_args`` say what
to harvest (the Zenodo community, the OAI-PMH base URL and format), its schedule when.
Each run calls ``harvest_community_task`` with those arguments; the task writes its
progress into the run (entries seen, created, updated, failed) as it goes.
"""

from invenio_i18n import lazy_gettext as _
from invenio_jobs.jobs import JobType, PredefinedArgsSchema
from marshmallow import fields, validate

from .tasks import harvest_community_task

JOB_ID = "cs4od_harvest_community"

SLUG = validate.Regexp(
    r"^[a-z0-9][a-z0-9_-]*$",
    error=_("A community identifier has lowercase letters, digits, '-' and '_' only."),
)


class HarvestArgsSchema(PredefinedArgsSchema):
    """What a run harvests (the admin job form shows these fields)."""

    job_arg_schema = fields.String(
        metadata={"type": "hidden"},
        dump_default="HarvestArgsSchema",
        load_default="HarvestArgsSchema",
    )

    community = fields.String(
        required=True,
        validate=SLUG,
        metadata={
            "description": _(
                "Identifier of the Zenodo community (its set is user-<id>)."
            )
        },
    )
    target = fields.String(
        required=True,
        validate=SLUG,
        metadata={"description": _("Local community the records go into.")},
    )
    base_url = fields.Url(
        load_default=None,
        allow_none=True,
        require_tld=False,
        metadata={"description": _("OAI-PMH base URL (default: Zenodo's).")},
    )
    metadata_prefix = fields.String(
        load_default="oai_datacite",
        validate=validate.OneOf(["oai_datacite", "oai_datacite3", "datacite"]),
        metadata={"description": _("DataCite format to ask for.")},
    )


class HarvestCommunityJob(JobType):
    """Harvest a Zenodo community into a local community over OAI-PMH."""

    id = JOB_ID
    title = _("Harvest a Zenodo community")
    description = _(
        "Incremental OAI-PMH harvest of a Zenodo community into a local one."
    )
    task = harvest_community_task
    arguments_schema = HarvestArgsSchema

    @classmethod
    def build_task_arguments(
        cls,
        job_obj,
        since=None,
        community=None,
        target=None,
        base_url=None,
        metadata_prefix=None,
        **kwargs,
    ):
        """The task's arguments: those of the run, else those saved with the job.

        ``since`` is not used: the harvest keeps its own checkpoint (the newest
        datestamp of the source, not our clock), so a run continues where the last
        complete one ended.
        """
        saved = dict(job_obj.run_args or {})
        return {
            "community": community or saved.get("community"),
            "target": target or saved.get("target"),
            "base_url": base_url or saved.get("base_url"),
            "metadata_prefix": metadata_prefix
            or saved.get("metadata_prefix")
            or "oai_datacite",
        }
