"""What InvenioRDM's record pages say about projects.

A dataset's or notebook's page (``/records/<id>``) lists, in its sidebar, the projects
that link it ("Used in projects"); the record search (``/search``) says how many
projects match its query, with a link to the project search. Both ask the project
service as the current user, so a project the visitor may not read is never named.
"""

from flask import g, url_for
from invenio_i18n import gettext as _
from invenio_records_resources.proxies import current_service_registry
from invenio_records_resources.services.errors import QuerystringValidationError
from invenio_search.engine import dsl, search

SIDEBAR_TEMPLATE = "cs4od_invenio/projects/record_projects.html"
"""The "Used in projects" box, one of InvenioRDM's record sidebar templates."""

SEARCH_TEMPLATE = "cs4od_invenio/projects/records_search.html"
"""InvenioRDM's record search page with the line about matching projects."""

RDM_SEARCH_TEMPLATE = "invenio_app_rdm/records/search.html"

MAX_LISTED = 10
"""Projects named in the sidebar; more are reached through the project search."""


def _projects_service():
    return current_service_registry.get("projects")


def _linking(record_id):
    """Projects whose datasets or notebooks include the record."""
    return dsl.Q("term", **{"metadata.datasets.id": record_id}) | dsl.Q(
        "term", **{"metadata.notebooks.id": record_id}
    )


def projects_using(record_id):
    """The published projects the current user may read that link the record.

    A dict with ``projects`` (at most ``MAX_LISTED``, by title: id, title, page URL, whether restricted),
    ``total`` and ``more_url`` (the project search of all of them).
    """
    result = _projects_service().search(
        g.identity,
        params={"size": MAX_LISTED, "sort": "title"},
        extra_filter=_linking(record_id),
    )
    projects = [
        {
            "id": hit["id"],
            "title": hit["metadata"]["title"],
            "url": url_for("cs4od_projects.project_landing", pid_value=hit["id"]),
            "restricted": hit["access"]["record"] == "restricted",
        }
        for hit in result.to_dict()["hits"]["hits"]
    ]
    query = f'metadata.datasets.id:"{record_id}" OR metadata.notebooks.id:"{record_id}"'
    return {
        "projects": projects,
        "total": result.total,
        "more_url": url_for("cs4od_projects.project_search", q=query),
    }


def matching_projects(query):
    """How many projects the current user may read match a record search query.

    None for an empty query (every project "matches" it) or one the project search
    cannot parse.
    """
    query = (query or "").strip()
    if not query:
        return None
    try:
        return (
            _projects_service().search(g.identity, params={"q": query, "size": 1}).total
        )
    except (QuerystringValidationError, search.exceptions.RequestError):
        return None  # the search engine could not parse it either


def projects_hint():
    """Texts of the line above the record search results, with their placeholders.

    ``{count}`` and ``{query}`` are filled by the page, on the server for the first
    query and in the browser when the visitor searches again.
    """
    return {
        "one": _("1 project also matches “{query}” →"),
        "many": _("{count} projects also match “{query}” →"),
        "url": url_for("cs4od_projects.project_search"),
    }


def init_record_pages(app):
    """Add the sidebar box and the search line to InvenioRDM's pages.

    The box joins ``APP_RDM_DETAIL_SIDE_BAR_TEMPLATES`` after the communities; the
    search page template is replaced unless the instance chose its own. Only the web
    app, which serves those pages, is changed.
    """
    if "cs4od_projects" not in app.blueprints:
        return
    sidebar = list(app.config.get("APP_RDM_DETAIL_SIDE_BAR_TEMPLATES") or [])
    if SIDEBAR_TEMPLATE not in sidebar:
        after = [
            i for i, name in enumerate(sidebar) if name.endswith("/communities.html")
        ]
        sidebar.insert(after[0] + 1 if after else len(sidebar), SIDEBAR_TEMPLATE)
        app.config["APP_RDM_DETAIL_SIDE_BAR_TEMPLATES"] = sidebar
    if (
        app.config.get("SEARCH_UI_SEARCH_TEMPLATE", RDM_SEARCH_TEMPLATE)
        == RDM_SEARCH_TEMPLATE
    ):
        app.config["SEARCH_UI_SEARCH_TEMPLATE"] = SEARCH_TEMPLATE
    app.add_template_global(projects_using, "cs4od_projects_using")
    app.add_template_global(matching_projects, "cs4od_matching_projects")
    app.add_template_global(projects_hint, "cs4od_projects_hint")
