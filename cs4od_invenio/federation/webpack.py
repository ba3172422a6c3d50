"""Webpack entry of the community harvest page."""

from invenio_assets.webpack import WebpackThemeBundle

federation = WebpackThemeBundle(
    __name__,
    "assets",
    default="semantic-ui",
    themes={
        "semantic-ui": dict(
            entry={
                "cs4od-community-harvest": "./js/cs4od_invenio/federation/harvest.js",
            },
            # The alias "@js/cs4od_invenio" is declared by the projects bundle.
            dependencies={},
        ),
    },
)
