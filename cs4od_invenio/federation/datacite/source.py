"""One DataCite resource being read, and the report of what found no place in RDM."""

from dataclasses import dataclass
from typing import NamedTuple

from lxml import etree

from .. import vocabularies

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

XSI_SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"


@dataclass(frozen=True)
class Unmapped:
    """A text or attribute of the source that has no place in the RDM record."""

    path: str
    value: str
    reason: str


class MappedRecord(NamedTuple):
    """The outcome of mapping one DataCite resource."""

    record: dict
    report: list
    provenance: dict


class Source:
    """One DataCite resource being read; remembers which texts and attributes were used."""

    def __init__(self, resource):
        self.root = resource
        self.ns = etree.QName(resource).namespace
        self._used = set()
        self.report = []

    def all(self, parent, path):
        """Elements at a slash-separated path of local names below ``parent``."""
        if parent is None:
            return []
        return parent.findall(
            "/".join(f"{{{self.ns}}}{step}" for step in path.split("/"))
        )

    def first(self, parent, path):
        """The first element at ``path`` below ``parent``, or None."""
        found = self.all(parent, path)
        return found[0] if found else None

    def typed_texts(self, path, type_attr):
        """``(element, text, type)`` of the elements at ``path`` that hold a text.

        Texts and types are marked used, also those of blank elements.
        """
        for element in self.all(self.root, path):
            value, kind = self.text(element), self.attr(element, type_attr)
            if value:
                yield element, value, kind

    def text(self, element):
        """The whitespace-trimmed text of an element (None if blank); marks it used."""
        if element is None:
            return None
        self._used.add((element, None))
        value = (element.text or "").strip()
        return value or None

    def attr(self, element, name):
        """An attribute's trimmed value (None if absent or blank); marks it used."""
        if element is None:
            return None
        self._used.add((element, name))
        value = (element.get(name) or "").strip()
        return value or None

    def unmapped(self, element, reason, name=None, value=None):
        """Report a text (or attribute ``name``) as not mapped, for a stated reason."""
        if name is None:
            self._used.add((element, None))
            shown = (element.text or "").strip() if value is None else value
            self.report.append(Unmapped(self.path(element), shown, reason))
        else:
            self._used.add((element, name))
            shown = element.get(name) if value is None else value
            self.report.append(
                Unmapped(f"{self.path(element)}/@{_attr_label(name)}", shown, reason)
            )

    def path(self, element):
        """A readable path such as ``resource/creators/creator[2]/affiliation``."""
        steps = []
        while element is not None:
            name = etree.QName(element).localname
            parent = element.getparent()
            if parent is not None and element is not self.root:
                same = [c for c in parent if c.tag == element.tag]
                if len(same) > 1:
                    name = f"{name}[{same.index(element) + 1}]"
            steps.append(name)
            if element is self.root:
                break
            element = parent
        return "/".join(reversed(steps))

    def leftovers(self):
        """Report every non-blank text and every attribute that nothing used."""
        for element in self.root.iter():
            if not isinstance(element.tag, str):
                continue
            if (element.text or "").strip() and (element, None) not in self._used:
                self.report.append(
                    Unmapped(self.path(element), element.text.strip(), "no RDM field")
                )
            for name, value in element.attrib.items():
                if name == XSI_SCHEMA_LOCATION or (element, name) in self._used:
                    continue
                self.report.append(
                    Unmapped(
                        f"{self.path(element)}/@{_attr_label(name)}",
                        value,
                        "no RDM field",
                    )
                )


def _attr_label(name):
    return "xml:lang" if name == XML_LANG else etree.QName(name).localname


def language_id(code):
    """The RDM language id of an ISO 639 code (two or three letters), or None."""
    ids, alpha2 = vocabularies.languages()
    code = (code or "").strip().lower()
    primary = code.split("-")[0].split("_")[0]
    if primary in ids:
        return primary
    return alpha2.get(primary)


def language_of(src, element):
    """An element's ``xml:lang`` as an RDM language, or None (reported if unknown)."""
    code = element.get(XML_LANG)
    if not code:
        return None
    id_ = language_id(code)
    if id_ is None:
        src.unmapped(element, "language not in RDM's vocabulary", XML_LANG, code)
        return None
    src.attr(element, XML_LANG)
    return {"id": id_}
