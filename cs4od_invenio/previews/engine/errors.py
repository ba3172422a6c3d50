"""Errors the tabular engine raises for input it cannot read."""


class TabularError(Exception):
    """A table that cannot be read, with a message for the person who uploaded it."""

    def __init__(self, message, *, code="unreadable", line=None, column=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.line = line
        self.column = column

    def as_dict(self):
        """The error as plain JSON-serialisable data."""
        data = {"code": self.code, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
        if self.column is not None:
            data["column"] = self.column
        return data


class ReadAgain(Exception):
    """A stream that must be read again from the start with changed hints.

    Internal: types are inferred from the first block of a stream, so a later block
    that contradicts them (a text cell in a number column, bytes that are not UTF-8)
    asks the caller to read again, e.g. with ``{"types": {"age": pa.string()}}``.
    """

    def __init__(self, **changes):
        super().__init__(f"read again with {changes}")
        self.changes = changes
