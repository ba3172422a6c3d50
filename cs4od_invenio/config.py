"""Default configuration of CS4OD; an instance overrides any key in invenio.cfg."""

CS4OD_DEMO_ENABLED = True
"""Allow ``invenio cs4od demo`` to create demo content in this instance."""

CS4OD_ZENODO_URL = "https://zenodo.org"
"""Base URL of the Zenodo instance records are imported from and harvested from."""

CS4OD_REANA_SERVER_URL = None
"""URL of a REANA server; when unset, reproducible runs use the local runner."""
