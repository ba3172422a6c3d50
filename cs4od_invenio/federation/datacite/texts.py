"""Titles, descriptions, subjects, language and the plain text fields."""

import html
import re

from .. import vocabularies
from .source import XML_LANG, language_id, language_of

_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


def add_titles(src, metadata):
    """The first title without a type is the title; the others are additional."""
    additional = []
    for element, value, kind in src.typed_texts("titles/title", "titleType"):
        if not kind and "title" not in metadata:
            _main_text(src, element, metadata, "title", value)
            continue
        types = vocabularies.title_types()
        additional.append(_typed_text(src, element, "title", value, kind, types))
    if additional:
        metadata["additional_titles"] = additional


def add_publisher_and_plain_fields(src, metadata):
    """Publisher, version, sizes and formats, taken as they are."""
    metadata["publisher"] = src.text(src.first(src.root, "publisher"))
    metadata["version"] = src.text(src.first(src.root, "version"))
    metadata["sizes"] = [
        v for v in (src.text(e) for e in src.all(src.root, "sizes/size")) if v
    ]
    metadata["formats"] = [
        v for v in (src.text(e) for e in src.all(src.root, "formats/format")) if v
    ]


def add_subjects(src, metadata):
    """Subjects as free-text keywords, without repeats."""
    subjects = []
    for element in src.all(src.root, "subjects/subject"):
        value = src.text(element)
        if value and {"subject": value} not in subjects:
            subjects.append({"subject": value})
    if subjects:
        metadata["subjects"] = subjects


def add_languages(src, metadata):
    """The resource's language, when RDM's vocabulary has it."""
    element = src.first(src.root, "language")
    code = src.text(element)
    if not code:
        return
    id_ = language_id(code)
    if id_ is None:
        src.unmapped(element, "language not in RDM's vocabulary")
    else:
        metadata["languages"] = [{"id": id_}]


def _as_html(text):
    """Plain text as HTML paragraphs; text that already holds HTML tags is left as it is."""
    if _HTML_TAG.search(text):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(
        "<p>{}</p>".format(html.escape(p).replace("\n", "<br>")) for p in paragraphs
    )


def add_descriptions(src, metadata):
    """The first abstract is the description; the others are additional, as HTML."""
    additional = []
    found = src.typed_texts("descriptions/description", "descriptionType")
    for element, value, kind in found:
        kind = kind or "Other"
        if len(value) < 3:
            src.unmapped(element, "RDM needs descriptions of 3 characters or more")
            continue
        if kind.lower() == "abstract" and "description" not in metadata:
            _main_text(src, element, metadata, "description", _as_html(value))
            continue
        types = vocabularies.description_types()
        additional.append(
            _typed_text(src, element, "description", _as_html(value), kind, types)
        )
    if additional:
        metadata["additional_descriptions"] = additional


def _main_text(src, element, metadata, field, value):
    """Set the main title or description, which RDM keeps without a language."""
    metadata[field] = value
    if element.get(XML_LANG):
        src.unmapped(
            element,
            f"RDM's main {field} has no language",
            XML_LANG,
            element.get(XML_LANG),
        )


def _typed_text(src, element, field, value, kind, types):
    """An additional title or description with its type (else 'other') and language."""
    type_id = types.get((kind or "other").lower())
    if type_id is None:
        src.unmapped(
            element,
            f"{field} type {kind!r} not in RDM's vocabulary; 'other'",
            f"{field}Type",
            kind,
        )
        type_id = "other"
    entry = {field: value, "type": {"id": type_id}}
    lang = language_of(src, element)
    if lang:
        entry["lang"] = lang
    return entry
