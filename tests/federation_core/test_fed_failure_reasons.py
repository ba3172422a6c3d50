"""The reasons a curator reads in a harvest's report for each record that failed."""

from invenio_records.systemfields.relations.errors import InvalidRelationValue
from marshmallow import ValidationError
from sqlalchemy.orm.exc import StaleDataError

from cs4od_invenio.federation.reasons import error_text


def test_invalid_metadata_names_each_field():
    error = ValidationError({"metadata": {"creators": {0: {"person_or_org": {
        "family_name": ["Missing data for required field."]}}},
        "title": ["Field may not be null."]}})
    assert error_text(error) == (
        "invalid metadata: metadata.creators.0.person_or_org.family_name: Missing data "
        "for required field.; metadata.title: Field may not be null.")


def test_a_database_error_is_said_in_words_without_sql():
    error = StaleDataError("UPDATE statement on table 'rdm_drafts_metadata' expected to "
                           "update 1 row(s); 0 were matched.")
    text = error_text(error)
    assert "UPDATE" not in text and "rdm_drafts_metadata" not in text
    assert "StaleDataError" not in text
    assert text.startswith("the database refused the change")


def test_an_unknown_vocabulary_value_is_named():
    text = error_text(InvalidRelationValue("Invalid value poster."))
    assert text == "a vocabulary value this repository does not have (Invalid value poster.)"
