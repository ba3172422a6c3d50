"""Webpack entries of the project pages (React: search apps, the form, community submission)."""

from invenio_assets.webpack import WebpackThemeBundle

projects = WebpackThemeBundle(
    __name__,
    "assets",
    default="semantic-ui",
    themes={
        "semantic-ui": dict(
            entry={
                "cs4od-projects-search": "./js/cs4od_invenio/projects/search.js",
                "cs4od-projects-deposit": "./js/cs4od_invenio/projects/deposit.js",
                "cs4od-projects-landing": "./js/cs4od_invenio/projects/landing.js",
            },
            # Everything used here is already a dependency of InvenioRDM's own apps.
            dependencies={},
            aliases={"@js/cs4od_invenio": "js/cs4od_invenio"},
        ),
    },
)
