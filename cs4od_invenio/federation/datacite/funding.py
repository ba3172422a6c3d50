"""Funding references: funder names and awards."""

import idutils


def add_funding(src, metadata):
    """Funding references by funder name, with award number, title and URL."""
    funding = []
    for element in src.all(src.root, "fundingReferences/fundingReference"):
        name = src.text(src.first(element, "funderName"))
        if not name:
            src.unmapped(element, "funding without a funder name", value="")
            continue
        entry = {"funder": {"name": name}}
        funder_id = src.first(element, "funderIdentifier")
        if funder_id is not None and (funder_id.text or "").strip():
            src.unmapped(funder_id, "needs CS4OD's funders vocabulary; name kept")
            # Type and scheme URI only qualify the identifier reported above.
            src.attr(funder_id, "funderIdentifierType")
            src.attr(funder_id, "schemeURI")
        award = {}
        number_element = src.first(element, "awardNumber")
        number = src.text(number_element)
        if number:
            award["number"] = number
        uri = src.attr(number_element, "awardURI")
        if uri and idutils.is_url(uri):
            award["identifiers"] = [{"scheme": "url", "identifier": uri}]
        elif uri:
            src.unmapped(number_element, "not a URL", "awardURI")
        title = src.text(src.first(element, "awardTitle"))
        if title:
            award["title"] = {"en": title}
        if number or title:
            entry["award"] = award
        funding.append(entry)
    if funding:
        metadata["funding"] = funding
