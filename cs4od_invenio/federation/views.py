"""A community's Zenodo harvest: its page (``/communities/<slug>/zenodo-harvest``) and REST API.

``GET /api/communities/<slug>/zenodo-harvest``: the source, schedule, counts, recent runs.
``PUT`` the same URL ``{"zenodo_community", "schedule"}``: set up or change the harvest.
``DELETE``: no more scheduled harvests (records stay).
``POST .../zenodo-harvest/runs``: harvest now (202; 409 if one is under way).
Only the community's curators (curators, managers, owners) may use them.
"""

from flask import Blueprint, abort, g, jsonify, request
from flask_login import current_user, login_required
from flask_menu import current_menu
from invenio_communities.views.communities import (
    HEADER_PERMISSIONS,
    render_community_theme_template,
)
from invenio_communities.views.decorators import pass_community
from invenio_i18n import lazy_gettext as _

from ..api_errors import register_json_errors
from . import sources


def create_api_blueprint(app):
    """REST endpoints of community harvests."""
    blueprint = Blueprint("cs4od_federation_api", __name__)
    register_json_errors(blueprint)

    @blueprint.errorhandler(sources.HarvestAlreadyRunning)
    def busy(error):
        return (
            jsonify(
                {
                    "status": 409,
                    "run": str(error),
                    "message": str(
                        _("A harvest of this community is already queued or under way.")
                    ),
                }
            ),
            409,
        )

    def _denied_unless_logged_in():
        if not current_user.is_authenticated:
            return jsonify({"status": 401, "message": "Log in first."}), 401
        return None

    route = "/communities/<pid_value>/zenodo-harvest"

    @blueprint.route(route, methods=["GET"])
    def read(pid_value):
        return _denied_unless_logged_in() or jsonify(
            sources.describe(g.identity, pid_value)
        )

    @blueprint.route(route, methods=["PUT"])
    def configure(pid_value):
        return _denied_unless_logged_in() or jsonify(
            sources.configure(g.identity, pid_value, request.get_json(silent=True))
        )

    @blueprint.route(route, methods=["DELETE"])
    def stop(pid_value):
        return _denied_unless_logged_in() or jsonify(
            sources.stop_harvesting(g.identity, pid_value)
        )

    @blueprint.route(route + "/runs", methods=["POST"])
    def start(pid_value):
        return _denied_unless_logged_in() or (
            jsonify(sources.start(g.identity, pid_value)),
            202,
        )

    return blueprint


@login_required
@pass_community(serialize=True)
def harvest_page(pid_value, community, community_ui):
    """The curators' page of the community's Zenodo harvest."""
    permissions = community.has_permissions_to(HEADER_PERMISSIONS)
    if not permissions["can_search_requests"]:
        abort(403)
    return render_community_theme_template(
        "cs4od_invenio/federation/harvest.html",
        theme=community_ui.get("theme", {}),
        community=community,
        community_ui=community_ui,
        permissions=permissions,
        active_community_header_menu_item="zenodo_harvest",
    )


def create_ui_blueprint(app):
    """The curators' page of a community's harvest."""
    blueprint = Blueprint("cs4od_federation", __name__, template_folder="templates")
    blueprint.add_url_rule(
        "/communities/<pid_value>/zenodo-harvest", view_func=harvest_page
    )
    return blueprint


def init_menu(app):
    """The "Zenodo harvest" tab of a community, shown to its curators."""
    if "cs4od_federation" not in app.blueprints:
        return
    current_menu.submenu("communities.zenodo_harvest").register(
        endpoint="cs4od_federation.harvest_page",
        text=_("Zenodo harvest"),
        order=45,
        expected_args=["pid_value"],
        **dict(icon="cloud download", permissions="can_search_requests"),
    )
