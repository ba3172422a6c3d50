"""React-SearchKit configurations of the project search pages."""

from invenio_records_resources.services.records.facets import TermsFacet
from invenio_search_ui.searchconfig import search_app_config

from ..services.config import SORT_OPTIONS, ProjectSearchDraftsOptions


def _available_facets():
    """Every facet of the project service, as invenio-search-ui describes facets."""
    return {
        name: {"facet": facet, "ui": {"field": facet._params.get("field", name)}}
        for name, facet in ProjectSearchDraftsOptions.facets.items()
        if isinstance(facet, TermsFacet)
    }


def project_search_config(config_name, app_id, endpoint, **kwargs):
    """The configuration of one project search app, as a template embeds it.

    ``config_name`` names the app config key (``CS4OD_PROJECTS_SEARCH``...) that
    selects its facets and sort options.
    """
    return search_app_config(
        config_name,
        _available_facets(),
        SORT_OPTIONS,
        endpoint,
        {"Accept": "application/json"},
        app_id=app_id,
        **kwargs,
    )
