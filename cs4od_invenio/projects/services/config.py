"""Configuration of the project service: classes, search, links, components."""

from invenio_drafts_resources.services.records.components import (
    DraftMetadataComponent,
    PIDComponent,
)
from invenio_drafts_resources.services.records.config import (
    RecordServiceConfig,
    SearchDraftsOptions,
    SearchOptions,
    SearchVersionsOptions,
    is_draft,
    is_record,
)
from invenio_i18n import lazy_gettext as _
from invenio_records_resources.services import ConditionalLink
from invenio_records_resources.services.base.config import ConfiguratorMixin, FromConfig
from invenio_records_resources.services.records.facets import TermsFacet
from invenio_records_resources.services.records.links import (
    RecordEndpointLink,
    pagination_endpoint_links,
)
from invenio_vocabularies.services.facets import VocabularyLabels

from ..records import Project, ProjectDraft
from .components import ProjectAccessComponent, StrictReferencesComponent
from .permissions import ProjectPermissionPolicy
from .results import ProjectItem, ProjectList
from .schemas import ProjectSchema

class CommunityLabels:
    """Titles of communities, for the buckets of the communities facet."""

    def __call__(self, ids):
        """Map community UUIDs to their titles (unknown ids keep the id)."""
        from invenio_communities.communities.records.models import CommunityMetadata

        if not ids:
            return {}
        found = CommunityMetadata.query.filter(CommunityMetadata.id.in_(ids)).all()
        titles = {str(c.id): (c.json or {}).get("metadata", {}).get("title") for c in found}
        return {id_: titles.get(id_) or id_ for id_ in ids}


FACETS = {
    "domains": TermsFacet(
        field="metadata.domains.id",
        label=_("Scientific domains"),
        value_labels=VocabularyLabels("scientificdomains"),
    ),
    "sdgs": TermsFacet(
        field="metadata.sdgs.id",
        label=_("Sustainable Development Goals"),
        value_labels=VocabularyLabels("sdgs"),
    ),
    "tags": TermsFacet(field="metadata.tags", label=_("Tags")),
    "communities": TermsFacet(
        field="parent.communities.ids",
        label=_("Communities"),
        value_labels=CommunityLabels(),
    ),
}

SORT_OPTIONS = {
    "bestmatch": dict(title=_("Best match"), fields=["_score"]),
    "newest": dict(title=_("Newest"), fields=["-created"]),
    "oldest": dict(title=_("Oldest"), fields=["created"]),
    "title": dict(title=_("Title"), fields=["metadata.title.sort"]),
    "updated-desc": dict(title=_("Recently updated"), fields=["-updated"]),
}

QUERY_FIELDS = [
    "metadata.title^3",
    "metadata.description",
    "metadata.tags.text^2",
    "metadata.creators.person_or_org.name",
    "metadata.zenodo_communities.title",
    "metadata.datasets.metadata.title",
    "metadata.notebooks.metadata.title",
    "id",
]


class ProjectSearchOptions(SearchOptions):
    """Search of published projects."""

    sort_default = "bestmatch"
    sort_default_no_query = "newest"
    sort_options = SORT_OPTIONS
    facets = FACETS
    query_parser_cls = SearchOptions.query_parser_cls.factory(fields=QUERY_FIELDS)


class ProjectSearchDraftsOptions(SearchDraftsOptions):
    """Search of the user's own drafts and projects."""

    sort_options = {**SORT_OPTIONS, **SearchDraftsOptions.sort_options}
    facets = {
        **FACETS,
        "is_published": TermsFacet(
            field="is_published",
            label=_("Status"),
            value_labels={"true": _("Published"), "false": _("Draft")},
        ),
    }
    query_parser_cls = SearchOptions.query_parser_cls.factory(fields=QUERY_FIELDS)


class ProjectServiceConfig(RecordServiceConfig, ConfiguratorMixin):
    """Project service configuration; instances may swap classes in invenio.cfg."""

    service_id = "projects"

    record_cls = Project
    draft_cls = ProjectDraft
    schema = ProjectSchema
    permission_policy_cls = FromConfig(
        "CS4OD_PROJECTS_PERMISSION_POLICY", default=ProjectPermissionPolicy
    )
    result_item_cls = ProjectItem
    result_list_cls = ProjectList

    indexer_queue_name = "projects"
    draft_indexer_queue_name = "projects-drafts"

    search = ProjectSearchOptions
    search_drafts = ProjectSearchDraftsOptions
    search_versions = SearchVersionsOptions

    default_files_enabled = False

    components = [
        StrictReferencesComponent,
        DraftMetadataComponent,
        ProjectAccessComponent,
        PIDComponent,
    ]

    links_item = {
        "self": ConditionalLink(
            cond=is_record,
            if_=RecordEndpointLink("projects.read"),
            else_=RecordEndpointLink("projects.read_draft"),
        ),
        "self_html": ConditionalLink(
            cond=is_record,
            if_=RecordEndpointLink("cs4od_projects.project_landing"),
            else_=RecordEndpointLink("cs4od_projects.project_edit"),
        ),
        "latest": RecordEndpointLink("projects.read_latest", when=is_record),
        "draft": RecordEndpointLink("projects.read_draft", when=is_record),
        "record": RecordEndpointLink("projects.read", when=is_draft),
        "publish": RecordEndpointLink("projects.publish", when=is_draft),
        "versions": RecordEndpointLink("projects.search_versions"),
    }
    links_search = pagination_endpoint_links("projects.search")
    links_search_drafts = pagination_endpoint_links("projects.search_user_records")
    links_search_versions = pagination_endpoint_links(
        "projects.search_versions", params=["pid_value"]
    )
