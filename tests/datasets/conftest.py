"""Fixtures of the dataset tests (the project fixtures are shared)."""

from projects_fixtures import *  # noqa: F401,F403
