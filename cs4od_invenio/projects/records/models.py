"""Database tables of projects: parent, published revisions, drafts, versions state."""

from invenio_db import db
from invenio_drafts_resources.records.models import (
    DraftMetadataBase,
    ParentRecordMixin,
    ParentRecordStateMixin,
)
from invenio_rdm_records.records.models import CommunityRelationMixin
from invenio_records.models import RecordMetadataBase


class ProjectParentMetadata(db.Model, RecordMetadataBase):
    """What all versions of a project share: owners, communities."""

    __tablename__ = "cs4od_projects_parents_metadata"


class ProjectMetadata(db.Model, RecordMetadataBase, ParentRecordMixin):
    """A published project."""

    __tablename__ = "cs4od_projects_metadata"
    __parent_record_model__ = ProjectParentMetadata
    __versioned__ = {}


class ProjectDraftMetadata(db.Model, DraftMetadataBase, ParentRecordMixin):
    """A project being edited (new or published)."""

    __tablename__ = "cs4od_projects_drafts_metadata"
    __parent_record_model__ = ProjectParentMetadata


class ProjectVersionsState(db.Model, ParentRecordStateMixin):
    """Latest published version and next draft of a project."""

    __tablename__ = "cs4od_projects_versions_state"
    __parent_record_model__ = ProjectParentMetadata
    __record_model__ = ProjectMetadata
    __draft_model__ = ProjectDraftMetadata


class ProjectParentCommunity(db.Model, CommunityRelationMixin):
    """Communities a project has been accepted into."""

    __tablename__ = "cs4od_projects_parents_community"
    __record_model__ = ProjectParentMetadata
