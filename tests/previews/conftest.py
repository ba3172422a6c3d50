"""Fixtures of the preview tests (users, vocabularies and locations are shared)."""

from projects_fixtures import *  # noqa: F401,F403
