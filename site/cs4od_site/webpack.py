"""Webpack entry of the CS4OD theme."""

from invenio_assets.webpack import WebpackThemeBundle

theme = WebpackThemeBundle(
    __name__,
    "assets",
    default="semantic-ui",
    themes={
        "semantic-ui": dict(
            entry={"cs4od-site-theme": "./less/cs4od_site/theme.less"},
            dependencies={},
            devDependencies={},
            aliases={"@less/cs4od_site": "less/cs4od_site"},
        ),
    },
)
