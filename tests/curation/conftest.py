"""The curation tests use the project fixtures: users in every role, a community."""

from projects_fixtures import *  # noqa: F401,F403
