"""XML parsing for documents from other servers: no network, no DTDs, no entity expansion."""

from lxml import etree


class NotXMLError(ValueError):
    """The bytes are not a well-formed XML document."""


def parser():
    """A fresh lxml parser that never fetches anything and never expands entities."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse(data):
    """Parse bytes (or text) from a remote server into an element tree root."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as error:
        raise NotXMLError(str(error)) from error
    if root is None:
        raise NotXMLError("empty document")
    return root
