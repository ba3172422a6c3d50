"""Checks that analysis and chart specs share."""

from .errors import TabularError


def check_fields(spec, fields, *, shape, where, error=TabularError):
    """Raise ``error`` unless ``spec`` is an object whose keys are all in ``fields``.

    ``shape`` is the message for a spec that is no object; ``where`` names the spec in
    the message about an unknown field ("the analysis", "the chart spec").
    """
    if not isinstance(spec, dict):
        raise error(shape)
    unknown = [key for key in spec if key not in fields]
    if unknown:
        raise error(
            f"Unknown field {unknown[0]!r} in {where}; the fields are "
            f"{', '.join(fields)}."
        )


def column_list(columns):
    """The column names for a message: the first fifty, then how many more."""
    shown = ", ".join(repr(c) for c in columns[:50])
    return shown + (f" and {len(columns) - 50} more" if len(columns) > 50 else "")
