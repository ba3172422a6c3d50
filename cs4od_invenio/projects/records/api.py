"""Project API classes: parent, published project and draft."""

from invenio_communities.records.records.systemfields import CommunitiesField
from invenio_drafts_resources.records import Draft, Record
from invenio_drafts_resources.records.api import ParentRecord
from invenio_pidstore.models import PIDStatus
from invenio_rdm_records.records.api import RDMRecord
from invenio_rdm_records.records.systemfields import HasDraftCheckField
from invenio_records.dumpers import SearchDumper
from invenio_records.dumpers.relations import RelationDumperExt
from invenio_records.systemfields import ConstantField, DictField
from invenio_records.systemfields.relations import MultiRelationsField
from invenio_records_resources.records.systemfields import (
    IndexField,
    PIDListRelation,
    PIDStatusCheckField,
)
from invenio_vocabularies.records.api import Vocabulary

from . import models

LINKED_RECORD_KEYS = [
    "metadata.title",
    "metadata.resource_type",
    "metadata.publication_date",
    "pids.doi",
]
"""What a project shows of each dataset or notebook it links to."""


class ProjectParent(ParentRecord):
    """What all versions of a project share: owner and communities."""

    model_cls = models.ProjectParentMetadata
    schema = ConstantField("$schema", "local://projects/parent-v1.0.0.json")

    access = DictField("access")
    communities = CommunitiesField(models.ProjectParentCommunity)


class ProjectCommon:
    """System fields of published projects and drafts."""

    parent_record_cls = ProjectParent
    versions_model_cls = models.ProjectVersionsState

    schema = ConstantField("$schema", "local://projects/project-v1.0.0.json")

    dumper = SearchDumper(extensions=[RelationDumperExt("relations")])

    relations = MultiRelationsField(
        sdgs=PIDListRelation(
            "metadata.sdgs",
            keys=["title", "props"],
            pid_field=Vocabulary.pid.with_type_ctx("sdgs"),
            cache_key="sdgs",
        ),
        domains=PIDListRelation(
            "metadata.domains",
            keys=["title", "props"],
            pid_field=Vocabulary.pid.with_type_ctx("scientificdomains"),
            cache_key="scientificdomains",
        ),
        datasets=PIDListRelation(
            "metadata.datasets",
            keys=LINKED_RECORD_KEYS,
            pid_field=RDMRecord.pid,
            cache_key="rdm-records",
        ),
        notebooks=PIDListRelation(
            "metadata.notebooks",
            keys=LINKED_RECORD_KEYS,
            pid_field=RDMRecord.pid,
            cache_key="rdm-records",
        ),
    )

    access = DictField("access")
    tombstone = DictField("tombstone")
    """Who removed a published project, when and why; the metadata stays stored."""

    @property
    def is_removed(self):
        """A removed (deleted) project answers with its tombstone only."""
        return bool(self.get("tombstone"))


class ProjectDraft(ProjectCommon, Draft):
    """A project being edited."""

    model_cls = models.ProjectDraftMetadata
    # The alias of both indices: "my projects" lists drafts and published projects.
    index = IndexField("projects-drafts-project-v1.0.0", search_alias="projects")
    is_published = PIDStatusCheckField(status=PIDStatus.REGISTERED, dump=True)
    has_draft = HasDraftCheckField()


class Project(ProjectCommon, Record):
    """A published project."""

    model_cls = models.ProjectMetadata
    index = IndexField("projects-records-project-v1.0.0", search_alias="projects-records")
    is_published = PIDStatusCheckField(status=PIDStatus.REGISTERED, dump=True)
    has_draft = HasDraftCheckField(ProjectDraft)
