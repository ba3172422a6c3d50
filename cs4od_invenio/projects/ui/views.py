"""Web pages of projects.

``/projects`` (search), ``/projects/new`` and ``/projects/<id>/edit`` (the form),
``/projects/<id>`` (landing page), ``/me/projects`` (dashboard tab) and
``/communities/<slug>/projects`` (community tab). Request pages of project inclusion
requests are served under InvenioRDM's own request URLs.
"""

from functools import wraps

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_menu import current_menu
from flask_principal import PermissionDenied
from invenio_communities.proxies import current_communities
from invenio_communities.views.communities import (
    HEADER_PERMISSIONS,
    render_community_theme_template,
)
from invenio_communities.views.decorators import pass_community
from invenio_i18n import lazy_gettext as _
from invenio_pidstore.errors import PIDDeletedError, PIDDoesNotExistError, PIDUnregistered
from invenio_records_resources.proxies import current_service_registry
from invenio_records_resources.services.errors import PermissionDeniedError
from invenio_requests.proxies import current_requests_service
from sqlalchemy.orm.exc import NoResultFound

from ...curation.requests import ProjectInclusionRequest
from ..services.errors import ProjectRemovedError
from .searchapp import project_search_config

REQUEST_STATUS = {
    "submitted": (_("Awaiting review"), "orange"),
    "accepted": (_("Accepted"), "green"),
    "declined": (_("Declined"), "red"),
    "cancelled": (_("Cancelled"), "grey"),
    "expired": (_("Expired"), "grey"),
}


RESOURCE_TYPE_LABELS = {
    "dataset": _("Dataset"),
    "software-computationalnotebook": _("Computational notebook"),
    "software": _("Software"),
}
"""Names of the resource types a project links, for its page."""


def projects_service():
    """The project service."""
    return current_service_registry.get("projects")


def _forbidden():
    """Anonymous visitors are sent to log in; others get a 403 page."""
    if not current_user.is_authenticated:
        return redirect(url_for("security.login", next=request.full_path))
    abort(403)


def _read_project(pid_value):
    """The published project, or the user's draft of a project never published."""
    service = projects_service()
    try:
        return service.read(g.identity, pid_value), False
    except (PIDUnregistered, NoResultFound):
        return service.read_draft(g.identity, pid_value), True


def _community_titles(ids):
    """Communities the user may see, by id: title, slug and page URL."""
    found = []
    for community_id in ids:
        try:
            community = current_communities.service.read(g.identity, community_id)
        except (PermissionDenied, PIDDoesNotExistError, PIDDeletedError, NoResultFound):
            continue
        data = community.to_dict()
        found.append({
            "id": data["id"],
            "slug": data["slug"],
            "title": data["metadata"]["title"],
            "url": url_for("invenio_app_rdm_communities.communities_detail",
                           pid_value=data["slug"]),
        })
    return found


def _project_requests(pid_value):
    """The community requests of the project, newest first, for its owner."""
    hits = projects_service().search_requests(g.identity, pid_value).to_dict()["hits"]["hits"]
    communities = {c["id"]: c for c in _community_titles(
        {hit["receiver"].get("community") for hit in hits if hit.get("receiver")})}
    rows = []
    for hit in hits:
        label, colour = REQUEST_STATUS.get(hit["status"], (hit["status"], "grey"))
        community = communities.get(hit["receiver"].get("community"), {})
        rows.append({
            "id": hit["id"],
            "status": hit["status"],
            "status_label": label,
            "colour": colour,
            "community": community.get("title", hit["receiver"].get("community")),
            "created": hit["created"][:10],
            "url": url_for("invenio_app_rdm_requests.user_dashboard_request_view",
                           request_pid_value=hit["id"]),
        })
    return rows


def project_landing(pid_value):
    """The page of one project: metadata, badges, linked records, communities."""
    try:
        item, is_draft = _read_project(pid_value)
    except ProjectRemovedError as error:
        return render_template(
            "cs4od_invenio/projects/tombstone.html",
            project_id=pid_value,
            tombstone=error.record.get("tombstone") or {},
        ), 410
    except (PIDDoesNotExistError, PIDDeletedError, NoResultFound):
        abort(404)
    except PermissionDenied:  # PermissionDeniedError and RecordPermissionDeniedError
        return _forbidden()

    project = item.to_dict()
    permissions = item.has_permissions_to(["manage", "edit", "update_draft"])
    requests = _project_requests(pid_value) if permissions["can_manage"] and not is_draft else []
    return render_template(
        "cs4od_invenio/projects/landing.html",
        project=project,
        is_draft=is_draft,
        permissions=permissions,
        communities=_community_titles(project["parent"].get("communities", {}).get("ids", [])),
        requests=requests,
        open_request_communities=[r["community"] for r in requests if r["status"] == "submitted"],
    )


def project_search():
    """Search published projects, with facets."""
    return render_template(
        "cs4od_invenio/projects/search.html",
        search_config=project_search_config(
            "CS4OD_PROJECTS_SEARCH", "Cs4od.ProjectsSearch", "/api/projects"),
    )


@login_required
def project_create():
    """The form of a new project."""
    return render_template("cs4od_invenio/projects/deposit.html", project_id=None)


@login_required
def project_edit(pid_value):
    """The form of an existing project (its draft is made when the form opens)."""
    service = projects_service()
    try:
        record = service.record_cls.pid.resolve(pid_value, registered_only=False)
    except (PIDDoesNotExistError, PIDDeletedError):
        abort(404)
    except NoResultFound:
        record = None
    try:
        if record is not None:
            service.require_permission(g.identity, "edit", record=record)
        else:
            service.read_draft(g.identity, pid_value)
    except (PIDDoesNotExistError, NoResultFound):
        abort(404)
    except PermissionDenied:
        abort(403)
    return render_template("cs4od_invenio/projects/deposit.html", project_id=pid_value)


@login_required
def dashboard_projects():
    """The user's projects and drafts, in the dashboard."""
    users = current_service_registry.get("users")
    avatar = users.links_item_tpl.expand(g.identity, current_user)["avatar"]
    return render_template(
        "cs4od_invenio/projects/dashboard.html",
        search_config=project_search_config(
            "CS4OD_PROJECTS_SEARCH_DRAFTS", "Cs4od.MyProjects", "/api/user/projects"),
        user_avatar=avatar,
    )


@pass_community(serialize=True)
def community_projects(pid_value, community, community_ui):
    """The projects a community has accepted, with the project facets."""
    permissions = community.has_permissions_to(HEADER_PERMISSIONS)
    if not permissions["can_read"]:
        raise PermissionDeniedError()
    community_id = community.to_dict()["id"]
    return render_community_theme_template(
        "cs4od_invenio/projects/community.html",
        theme=community_ui.get("theme", {}),
        community=community,
        community_ui=community_ui,
        permissions=permissions,
        active_community_header_menu_item="projects",
        search_config=project_search_config(
            "CS4OD_PROJECTS_SEARCH",
            "Cs4od.CommunityProjects",
            "/api/projects",
            hidden_params=[["communities", community_id]],
        ),
    )


def _project_request_page(request_id, base_template, **context):
    """The timeline of a project inclusion request, with accept/decline for curators."""
    item = current_requests_service.read(g.identity, request_id, expand=True)
    data = item.to_dict()
    project = None
    topic = (data.get("topic") or {}).get("project")
    if topic:
        try:
            project = projects_service().read(g.identity, topic).to_dict()
        except (PermissionDenied, ProjectRemovedError, PIDDoesNotExistError,
                PIDDeletedError, PIDUnregistered, NoResultFound):
            project = None
    from invenio_users_resources.proxies import current_user_resources

    avatar = current_user_resources.users_service.links_item_tpl.expand(
        g.identity, current_user)["avatar"]
    permissions = context.pop("header_permissions", {})
    permissions.update(item.has_permissions_to(
        ["action_accept", "action_decline", "action_cancel", "lock_request",
         "create_comment", "reply_comment"]))
    return render_template(
        f"invenio_requests/{ProjectInclusionRequest.type_id}/index.html",
        base_template=base_template,
        invenio_request=data,
        project=project,
        project_id=topic,
        user_avatar=avatar,
        permissions=permissions,
        request_is_accepted=data["status"] == "accepted",
        include_deleted=False,
        **context,
    )


def _is_project_request(request_id):
    """Whether a request is a project inclusion request (errors left to the RDM view)."""
    from invenio_requests.records.api import Request

    try:
        return Request.get_record(request_id).type.type_id == ProjectInclusionRequest.type_id
    except Exception:  # unknown id: InvenioRDM's view answers with its own 404
        return False


def _serve_project_requests(view, base_template, community_page):
    """Wrap an InvenioRDM request page: project inclusion requests get CS4OD's page.

    InvenioRDM's request pages only know requests about RDM records and communities;
    for any other topic they fail. Other request types go to InvenioRDM unchanged.
    """

    @wraps(view)
    def wrapper(**kwargs):
        request_id = kwargs.get("request_pid_value")
        if not _is_project_request(request_id):
            return view(**kwargs)
        if not current_user.is_authenticated:
            return _forbidden()
        try:
            if community_page:
                return _community_request_page(request_id, kwargs["pid_value"])
            return _project_request_page(request_id, base_template, is_user_dashboard=True,
                                         active_dashboard_menu_item="requests")
        except PermissionDenied:
            abort(403)

    return wrapper


def _community_request_page(request_id, community_pid):
    """The request page inside the community's pages (its header and tabs)."""
    from invenio_communities.communities.resources.serializer import (
        UICommunityJSONSerializer,
    )

    community = current_communities.service.read(g.identity, community_pid)
    request.community = community.to_dict()
    return _project_request_page(
        request_id,
        "invenio_communities/details/base.html",
        community=community,
        community_ui=UICommunityJSONSerializer().dump_obj(community.to_dict()),
        header_permissions=community.has_permissions_to(HEADER_PERMISSIONS),
        active_community_header_menu_item="requests",
    )


def create_ui_blueprint(app):
    """The blueprint of the project pages."""
    blueprint = Blueprint("cs4od_projects", __name__, template_folder="templates")
    blueprint.add_url_rule("/projects", view_func=project_search)
    blueprint.add_url_rule("/projects/new", view_func=project_create)
    blueprint.add_url_rule("/projects/<pid_value>", view_func=project_landing)
    blueprint.add_url_rule("/projects/<pid_value>/edit", view_func=project_edit)
    blueprint.add_url_rule("/me/projects", view_func=dashboard_projects)
    blueprint.add_url_rule(
        "/communities/<pid_value>/projects", view_func=community_projects)

    @blueprint.app_template_filter("cs4od_sdg_colour")
    def sdg_colour(term):
        return (term.get("props") or {}).get("colour", "#666")

    @blueprint.app_template_filter("cs4od_text_colour")
    def text_colour(background):
        return readable_text_colour(background)

    @blueprint.app_template_filter("cs4od_resource_type")
    def resource_type_label(type_id):
        return RESOURCE_TYPE_LABELS.get(type_id, type_id)

    return blueprint


def _luminance(colour):
    """WCAG relative luminance of a #rgb or #rrggbb colour."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def readable_text_colour(background, dark="#1b1c1d", light="#ffffff"):
    """The text colour, dark or white, with the higher contrast on ``background`` (the
    UN's SDG colours include yellows and oranges on which white text is unreadable)."""
    try:
        bg = _luminance(background)
    except (ValueError, IndexError):
        return light
    on_dark = (_luminance(light) + 0.05) / (bg + 0.05)
    on_light = (bg + 0.05) / (_luminance(dark) + 0.05)
    return light if on_dark >= on_light else dark


def init_menu(app):
    """Dashboard tab, community tab, and the "+" menu entry; request pages for projects."""
    if "cs4od_projects" not in app.blueprints:
        return
    current_menu.submenu("main.projects").register(
        endpoint="cs4od_projects.project_search", text=_("Projects"), order=0)
    current_menu.submenu("dashboard.projects").register(
        endpoint="cs4od_projects.dashboard_projects", text=_("Projects"), order=4)
    current_menu.submenu("plus.project").register(
        endpoint="cs4od_projects.project_create", text=_("New project"), order=2)
    current_menu.submenu("communities.projects").register(
        endpoint="cs4od_projects.community_projects",
        text=_("Projects"),
        order=12,
        expected_args=["pid_value"],
        **dict(icon="sitemap", permissions=True),
    )
    for endpoint, base, community_page in (
        ("invenio_app_rdm_requests.user_dashboard_request_view",
         "invenio_app_rdm/users/base.html", False),
        ("invenio_app_rdm_requests.community_dashboard_request_view",
         "invenio_communities/details/base.html", True),
    ):
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = _serve_project_requests(
                app.view_functions[endpoint], base, community_page)
