"""Flask extension of CS4OD."""

import os

from . import config
from .projects.resources import ProjectResource, ProjectResourceConfig
from .projects.services import ProjectService, ProjectServiceConfig


class CS4OD:
    """CS4OD extension: ``CS4OD_*`` defaults, the project service and REST resource."""

    def __init__(self, app=None):
        """Extension initialisation."""
        if app:
            self.init_app(app)

    def init_app(self, app):
        """Flask application initialisation."""
        self.init_config(app)
        self.init_services(app)
        self.init_resources(app)
        app.extensions["cs4od-invenio"] = self

    def init_config(self, app):
        """Set the defaults of every ``CS4OD_*`` key the instance did not set."""
        for key in dir(config):
            if key.startswith("CS4OD_"):
                app.config.setdefault(key, getattr(config, key))
        # Notebooks are previewed by CS4OD's previewer (clear messages for broken
        # files), in the place InvenioRDM gives its own.
        if not app.config.get("CS4OD_RUNS_PATH"):
            app.config["CS4OD_RUNS_PATH"] = os.path.join(app.instance_path, "runs")
        # RDM records ask for tabular previews when they are published.
        from invenio_rdm_records.services.components import DefaultRecordsComponents

        from .previews.components import TabularPreviewComponent

        components = list(app.config.get("RDM_RECORDS_SERVICE_COMPONENTS")
                          or DefaultRecordsComponents)
        if TabularPreviewComponent not in components:
            app.config["RDM_RECORDS_SERVICE_COMPONENTS"] = [
                *components, TabularPreviewComponent]
        preference = app.config.get("PREVIEWER_PREFERENCE") or []
        if "ipynb" in preference and "cs4od_notebook" not in preference:
            app.config["PREVIEWER_PREFERENCE"] = [
                "cs4od_notebook" if name == "ipynb" else name for name in preference
            ]

    def init_services(self, app):
        """Services, built from their configuration classes."""
        self.projects_service = ProjectService(ProjectServiceConfig.build(app))

    def init_resources(self, app):
        """REST resources on top of the services."""
        self.projects_resource = ProjectResource(
            ProjectResourceConfig.build(app), self.projects_service
        )


def finalize_app(app):
    """Register the services once every extension is initialised."""
    ext = app.extensions["cs4od-invenio"]
    registry = app.extensions["invenio-records-resources"].registry
    registry.register(ext.projects_service, service_id="projects")
    indexers = app.extensions["invenio-indexer"].registry
    indexers.register(ext.projects_service.indexer, indexer_id="projects")
    indexers.register(ext.projects_service.draft_indexer, indexer_id="projects-drafts")
    from .federation.oai_server import init_app as init_oai_server
    from .federation.views import init_menu as init_harvest_menu
    from .projects.ui import init_menu, init_record_pages

    init_menu(app)
    init_record_pages(app)
    init_harvest_menu(app)
    init_oai_server(app)


def create_projects_api_bp(app):
    """Blueprint of ``/api/projects`` and ``/api/user/projects``."""
    return app.extensions["cs4od-invenio"].projects_resource.as_blueprint()
