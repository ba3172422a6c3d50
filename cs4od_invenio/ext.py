"""Flask extension of CS4OD."""

from . import config


class CS4OD:
    """CS4OD extension: sets the ``CS4OD_*`` defaults and registers the services."""

    def __init__(self, app=None):
        """Extension initialisation."""
        if app:
            self.init_app(app)

    def init_app(self, app):
        """Flask application initialisation."""
        self.init_config(app)
        app.extensions["cs4od-invenio"] = self

    def init_config(self, app):
        """Set the defaults of every ``CS4OD_*`` key the instance did not set."""
        for key in dir(config):
            if key.startswith("CS4OD_"):
                app.config.setdefault(key, getattr(config, key))
