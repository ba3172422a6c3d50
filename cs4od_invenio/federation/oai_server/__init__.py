"""CS4OD's OAI-PMH 2.0 endpoint ``/oai2d``: InvenioRDM records and CS4OD projects.

invenio-oaiserver keeps its blueprint, configuration, set model and InvenioRDM's
serializers; ``init_app`` replaces only the view of ``/oai2d`` by ``views.oai2d``,
which answers over both indices (``sources``) and follows the spec where stock
differs (see ``views`` and ``verbs``).

Configuration read (besides invenio-oaiserver's ``OAISERVER_*`` keys):
``CS4OD_OAI_PROJECT_FORMATS``, ``CS4OD_OAI_RECORD_FORMATS``, ``CS4OD_OAI_PROJECTS_SET``
(defaults and documentation in ``cs4od_invenio/config.py``).
"""

ENDPOINT = "invenio_oaiserver.response"


def init_app(app):
    """Serve ``/oai2d`` with CS4OD's view (on the app that has the OAI blueprint)."""
    if ENDPOINT not in app.view_functions:
        return
    formats = app.config["OAISERVER_METADATA_FORMATS"]
    for key in ("CS4OD_OAI_PROJECT_FORMATS", "CS4OD_OAI_RECORD_FORMATS"):
        unknown = sorted(set(app.config.get(key) or {}) - set(formats))
        if unknown:
            raise RuntimeError(
                f"{key} names formats missing from OAISERVER_METADATA_FORMATS: "
                f"{', '.join(unknown)}")
    from .views import oai2d

    app.view_functions[ENDPOINT] = oai2d
