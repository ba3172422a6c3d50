"""Default configuration of CS4OD; an instance overrides any key in invenio.cfg."""

CS4OD_DEMO_ENABLED = True
"""Allow ``invenio cs4od demo`` to create demo content in this instance."""

CS4OD_ZENODO_URL = "https://zenodo.org"
"""Base URL of the Zenodo instance records are imported from and harvested from."""

CS4OD_REANA_SERVER_URL = None
"""URL of a REANA server; when unset, reproducible runs use the local runner."""

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
