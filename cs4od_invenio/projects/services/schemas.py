"""The project as the REST API reads and writes it (marshmallow)."""

from flask import current_app
from invenio_drafts_resources.services.records.schema import ParentSchema, RecordSchema
from invenio_i18n import lazy_gettext as _
from invenio_rdm_records.services.schemas.metadata import PersonOrOrganizationSchema
from invenio_vocabularies.services.schema import VocabularyRelationSchema
from marshmallow import Schema, fields, post_dump, pre_load, validate
from marshmallow_utils.fields import NestedAttribute, SanitizedHTML, SanitizedUnicode

ZENODO_COMMUNITY_ID = r"^[a-z0-9][a-z0-9_-]{0,99}$"
"""Zenodo community identifiers (slugs): lower-case letters, digits, ``-`` and ``_``."""


class ReloadableSchema(Schema):
    """Accepts its own output: read-only fields sent back are ignored, not errors.

    The service validates a draft before publication by loading its dumped form.
    """

    @pre_load
    def drop_read_only(self, data, **kwargs):
        """Remove the fields that are only ever output."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items()
                    if not (k in self.fields and self.fields[k].dump_only)}
        return data


class VocabularyTermSchema(VocabularyRelationSchema):
    """A vocabulary entry by id; the API adds its title and properties."""

    props = fields.Dict(dump_only=True)


class ZenodoCommunitySchema(ReloadableSchema):
    """A Zenodo community the project relates to."""

    id = SanitizedUnicode(
        required=True,
        validate=validate.Regexp(
            ZENODO_COMMUNITY_ID,
            error=_("Not a Zenodo community identifier (lower-case letters, digits, - and _)."),
        ),
    )
    title = SanitizedUnicode(validate=validate.Length(max=250))
    url = fields.Url(dump_only=True)

    @post_dump
    def community_url(self, data, **kwargs):
        """The community page on Zenodo (the base URL is configurable)."""
        base = current_app.config["CS4OD_ZENODO_URL"].rstrip("/")
        data["url"] = f"{base}/communities/{data['id']}"
        return data


class LinkedRecordSchema(ReloadableSchema):
    """A dataset or notebook of this repository, by its PID."""

    id = SanitizedUnicode(required=True)
    title = fields.Function(lambda o: o.get("metadata", {}).get("title"), dump_only=True)
    doi = fields.Function(
        lambda o: o.get("pids", {}).get("doi", {}).get("identifier"), dump_only=True
    )
    resource_type = fields.Function(
        lambda o: o.get("metadata", {}).get("resource_type", {}).get("id"), dump_only=True
    )
    publication_date = fields.Function(
        lambda o: o.get("metadata", {}).get("publication_date"), dump_only=True
    )
    links = fields.Function(
        lambda o: {
            "self": f"{current_app.config['SITE_API_URL']}/records/{o['id']}",
            "self_html": f"{current_app.config['SITE_UI_URL']}/records/{o['id']}",
        },
        dump_only=True,
    )


class AffiliationSchema(Schema):
    """An affiliation by name."""

    name = SanitizedUnicode(required=True, validate=validate.Length(min=1, max=250))


class CreatorSchema(Schema):
    """A person or organisation, with ORCID (or other identifiers) and affiliations."""

    person_or_org = fields.Nested(PersonOrOrganizationSchema, required=True)
    affiliations = fields.List(fields.Nested(AffiliationSchema))


class ProjectMetadataSchema(Schema):
    """Descriptive metadata of a project."""

    title = SanitizedUnicode(required=True, validate=validate.Length(min=3, max=250))
    description = SanitizedHTML(required=True, validate=validate.Length(min=3))
    tags = fields.List(SanitizedUnicode(validate=validate.Length(min=1, max=100)))
    domains = fields.List(fields.Nested(VocabularyTermSchema))
    sdgs = fields.List(fields.Nested(VocabularyTermSchema))
    zenodo_communities = fields.List(fields.Nested(ZenodoCommunitySchema))
    datasets = fields.List(fields.Nested(LinkedRecordSchema))
    notebooks = fields.List(fields.Nested(LinkedRecordSchema))
    creators = fields.List(fields.Nested(CreatorSchema))

    @pre_load
    def drop_empty_tags(self, data, **kwargs):
        """Forms send empty strings for removed tags: ignore them."""
        if isinstance(data, dict) and isinstance(data.get("tags"), list):
            data = {**data, "tags": [t for t in data["tags"] if t not in ("", None)]}
        return data


class AccessSchema(Schema):
    """Who can see the project."""

    record = fields.Str(
        load_default="public",
        validate=validate.OneOf(
            ["public", "restricted"], error=_("Must be public or restricted.")
        ),
    )


class OwnerSchema(Schema):
    """The owning user."""

    user = fields.Str(dump_only=True)


class ParentAccessSchema(Schema):
    """Access of the parent: its owner."""

    owned_by = fields.Nested(OwnerSchema, dump_only=True)


class ParentCommunitiesSchema(Schema):
    """Communities the project belongs to."""

    ids = fields.List(fields.Str(), dump_only=True)
    default = fields.Str(dump_only=True)


class ProjectParentSchema(ParentSchema):
    """What all versions of a project share."""

    access = fields.Nested(ParentAccessSchema, dump_only=True)
    communities = fields.Nested(ParentCommunitiesSchema, dump_only=True)


class TombstoneSchema(Schema):
    """Why and when a published project was removed."""

    removed_by = fields.Dict(dump_only=True)
    removal_date = fields.Str(dump_only=True)
    reason = fields.Str(dump_only=True)


class ProjectSchema(RecordSchema):
    """A project (draft or published)."""

    parent = NestedAttribute(ProjectParentSchema, dump_only=True)
    metadata = NestedAttribute(ProjectMetadataSchema)
    access = NestedAttribute(AccessSchema)
    has_draft = fields.Boolean(dump_only=True)
    tombstone = fields.Nested(TombstoneSchema, dump_only=True)
