"""Fixtures of the project reproducibility tests (users, vocabularies are shared)."""

from projects_fixtures import *  # noqa: F401,F403
