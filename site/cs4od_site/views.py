"""Blueprint of the CS4OD instance (templates and the about page)."""

from flask import Blueprint, render_template


def create_blueprint(app):
    """Create the instance blueprint; its templates override InvenioRDM's."""
    blueprint = Blueprint(
        "cs4od_site",
        __name__,
        template_folder="templates",
        static_folder="static",
    )

    @blueprint.route("/about")
    def about():
        """What CS4OD is, for a first-time visitor."""
        return render_template("cs4od_site/about.html")

    return blueprint
