"""Rights: licences, and the eu-repo access rights that set the files' access."""

import idutils

from .. import vocabularies

EU_REPO_ACCESS = "info:eu-repo/semantics/"

ACCESS_RIGHTS = {
    "openaccess": "public",
    "embargoedaccess": "restricted",
    "restrictedaccess": "restricted",
    "closedaccess": "restricted",
}


def add_rights(src, metadata, access):
    """Licences as rights; eu-repo access rights set ``access['files']``."""
    rights = []
    ids, by_url = vocabularies.licenses()
    for element in src.all(src.root, "rightsList/rights"):
        uri = src.attr(element, "rightsURI")
        text = src.text(element)
        if uri and uri.lower().startswith(EU_REPO_ACCESS):
            status = ACCESS_RIGHTS.get(uri[len(EU_REPO_ACCESS) :].lower())
            if status is None:
                src.unmapped(element, "unknown access right", "rightsURI")
            else:
                access["files"] = status
                if status != "public":
                    src.unmapped(
                        element,
                        "files of a closed or embargoed source "
                        "are not harvested; access set to restricted",
                        "rightsURI",
                    )
            continue
        identifier = src.attr(element, "rightsIdentifier")
        id_ = None
        if identifier and identifier.lower() in ids:
            id_ = identifier.lower()
        elif uri:
            id_ = by_url.get(vocabularies.normalise_url(uri))
        if id_:
            src.attr(element, "rightsIdentifierScheme")
            src.attr(element, "schemeURI")
            entry = {"id": id_}
        elif text or uri:
            entry = {"title": {"en": text or uri}}
            if uri and idutils.is_url(uri):
                entry["link"] = uri
            elif uri:
                src.unmapped(
                    element, "not a URL; RDM links licences by URL", "rightsURI"
                )
            if identifier:
                src.unmapped(
                    element, "licence id not in RDM's licences", "rightsIdentifier"
                )
        else:
            continue
        if entry not in rights:
            rights.append(entry)
    if rights:
        metadata["rights"] = rights
