"""Errors of the project service."""

from invenio_i18n import lazy_gettext as _


class ProjectRemovedError(Exception):
    """The project was removed: only its tombstone remains visible."""

    def __init__(self, record):
        """Keep the record for the 410 response."""
        self.record = record
        super().__init__(_("The project has been removed."))


class CommunitySubmissionError(Exception):
    """A project cannot be submitted to a community (a reason a person can act on)."""

    def __init__(self, message):
        """Keep the reason."""
        self.message = message
        super().__init__(message)
