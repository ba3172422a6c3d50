"""Dates: the publication date (issued, else the publication year) and typed dates."""

from edtf import Date, Interval
from marshmallow import ValidationError
from marshmallow_utils.fields.edtfdatestring import EDTFValidator

from .. import vocabularies
from .source import Unmapped

_publication_date = EDTFValidator(types=[Date, Interval])


def _valid_date(value):
    try:
        _publication_date(value)
        return True
    except (ValidationError, TypeError, ValueError):
        return False


def add_dates(src, metadata):
    """The issued date (else the publication year) as publication date; typed dates."""
    dates = []
    for element, value, kind in src.typed_texts("dates/date", "dateType"):
        kind = kind or ""
        if not _valid_date(value) and "T" in value and _valid_date(value.split("T")[0]):
            src.report.append(
                Unmapped(
                    src.path(element), value, "time of day dropped (RDM keeps dates)"
                )
            )
            value = value.split("T")[0]
        if not _valid_date(value):
            src.unmapped(element, "not an EDTF date or interval")
            continue
        if kind.lower() == "issued" and "publication_date" not in metadata:
            metadata["publication_date"] = value
            continue
        type_id = vocabularies.date_types().get(kind.lower())
        if type_id is None:
            src.unmapped(element, f"date type {kind!r} not in RDM's vocabulary")
            continue
        entry = {"date": value, "type": {"id": type_id}}
        information = src.attr(element, "dateInformation")
        if information:
            entry["description"] = information
        dates.append(entry)
    if dates:
        metadata["dates"] = dates
    year_element = src.first(src.root, "publicationYear")
    year = src.text(year_element)
    if "publication_date" not in metadata and year:
        if _valid_date(year):
            metadata["publication_date"] = year
        else:
            src.unmapped(year_element, "not a year")
