"""Fixtures of the project tests (shared with the curation tests)."""

from projects_fixtures import *  # noqa: F401,F403
