"""Default configuration of CS4OD; an instance overrides any key in invenio.cfg."""

CS4OD_DEMO_ENABLED = True
"""Allow ``invenio cs4od demo`` to create demo content in this instance."""

CS4OD_ZENODO_URL = "https://zenodo.org"
"""Base URL of the Zenodo instance records are imported from and harvested from."""

CS4OD_ZENODO_TIMEOUT = (10, 120)
"""Seconds to wait for Zenodo: to connect, and between two bytes of an answer."""

CS4OD_ZENODO_MAX_FILE_SIZE = 50 * 1024**3
"""Largest file (bytes) an import copies from Zenodo (Zenodo's own limit is 50 GB)."""

CS4OD_ZENODO_IMPORT_STALE_AFTER = 30 * 60
"""Seconds after which an import that has not reported progress counts as dead (its
worker stopped) and may be started again."""

CS4OD_ZENODO_IMPORT_RETRIES = 3
"""How often an import task retries after Zenodo was unreachable or answered 5xx."""

CS4OD_HARVEST_HTTP = {}
"""Options of the OAI-PMH fetcher of community harvests (``federation.fetch.HttpFetcher``:
``min_interval`` seconds between requests, default 2 to stay under Zenodo's rate limit;
``retries``, ``backoff``, ``max_wait``, ``timeout``)."""

CS4OD_REANA_SERVER_URL = None
"""URL of a REANA server (e.g. ``https://reana.cern.ch``); when set, users run their
projects there with their own access token; when unset, runs use the local runner."""

CS4OD_REANA_TIMEOUT = 120
"""Seconds each call of reana-client may take before REANA counts as unreachable."""

CS4OD_REANA_POLL_INTERVAL = 10
"""Seconds between two status requests of a run on REANA."""

CS4OD_REANA_POLL_SLICE = 120
"""Seconds one Celery task follows a run on REANA before a later task takes over."""

CS4OD_REANA_RUN_TIME_LIMIT = 24 * 3600
"""Seconds a run on REANA may take (from its submission) before it is stopped."""

CS4OD_PROJECTS_SEARCH = {
    "facets": ["domains", "sdgs", "tags", "communities"],
    "sort": ["bestmatch", "newest", "oldest", "title", "updated-desc"],
}
"""Facets and sort options of the project search page (and community project tabs)."""

CS4OD_PROJECTS_SEARCH_DRAFTS = {
    "facets": ["is_published", "domains", "sdgs", "tags"],
    "sort": ["updated-desc", "newest", "oldest", "title", "bestmatch"],
    "sort_default": "bestmatch",
    "sort_default_no_query": "updated-desc",
}
"""Facets and sort options of "My projects" in the user dashboard."""

CS4OD_PREVIEW_EXTENSIONS = [".csv", ".tsv", ".tab", ".xlsx", ".jsonl", ".ndjson", ".parquet"]
"""Files with these extensions get a tabular preview when their record is published."""

CS4OD_PREVIEW_ROWS = 20
"""Rows shown in a preview."""

CS4OD_PREVIEW_COLUMNS = 200
"""Columns described in a preview (wider tables are cut, and the preview says so)."""

CS4OD_PREVIEW_STALE_AFTER = 15 * 60
"""Seconds after which a preview still "running" counts as failed (its worker died)."""

_OAI_SERIALIZERS = "cs4od_invenio.federation.oai_server.serializers"

CS4OD_OAI_PROJECT_FORMATS = {
    "oai_dc": f"{_OAI_SERIALIZERS}:project_dc_etree",
    "oai_datacite": f"{_OAI_SERIALIZERS}:project_oai_datacite_etree",
    "oai_datacite4": f"{_OAI_SERIALIZERS}:project_oai_datacite_etree",
    "datacite": f"{_OAI_SERIALIZERS}:project_datacite_etree",
    "datacite4": f"{_OAI_SERIALIZERS}:project_datacite_etree",
}
"""OAI-PMH formats projects are disseminated in (``metadataPrefix`` to serializer); each
must be in ``OAISERVER_METADATA_FORMATS``. Projects are left out of lists in other formats."""

CS4OD_OAI_RECORD_FORMATS = {
    "oai_datacite": f"{_OAI_SERIALIZERS}:record_oai_datacite_etree",
    "oai_datacite4": f"{_OAI_SERIALIZERS}:record_oai_datacite_etree",
    "datacite": f"{_OAI_SERIALIZERS}:record_datacite_etree",
    "datacite4": f"{_OAI_SERIALIZERS}:record_datacite_etree",
}
"""Serializers of records that replace those of ``OAISERVER_METADATA_FORMATS`` over
OAI-PMH (InvenioRDM's DataCite answers, given the identifier kernel 4.5 requires)."""

CS4OD_OAI_PROJECTS_SET = {
    "spec": "projects",
    "name": "Projects",
    "description": "CS4OD projects: datasets and notebooks gathered around a question.",
}
"""The OAI-PMH set of all projects (``None``: no such set)."""

CS4OD_RUNS_PATH = None
"""Folder of the working directories of reproducible runs (default: the instance
folder's ``runs/``)."""

CS4OD_RUN_TIME_LIMIT = 3600
"""Seconds a reproducible run may take on the local runner before it is stopped."""

CS4OD_RUNNER_SANDBOX = "bwrap"
"""How the local runner isolates a run: ``"bwrap"`` (bubblewrap: the run sees its own
working directory and the programs it needs, not the instance's files, and has no
network; a run fails when bwrap cannot start) or ``"off"`` (it runs as the worker's
user and reads all the worker can read)."""
