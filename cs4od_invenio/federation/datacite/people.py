"""Creators and contributors: names, person identifiers, affiliations and roles."""

import idutils

from .. import vocabularies

PERSON_SCHEMES = {
    "orcid": (idutils.is_orcid, idutils.normalize_orcid),
    "isni": (idutils.is_isni, str.strip),
    "gnd": (idutils.is_gnd, idutils.normalize_gnd),
    "ror": (idutils.is_ror, idutils.normalize_ror),
}


def _split_name(name):
    if "," in name:
        family, given = name.split(",", 1)
        return family.strip(), given.strip() or None
    return name, None


def read_people(src, path, name_tag):
    """Creators or contributors (with roles) at ``path``, as RDM creatibutors."""
    people = []
    for element in src.all(src.root, path):
        name_element = src.first(element, name_tag)
        name = src.text(name_element)
        name_type = (src.attr(name_element, "nameType") or "").lower()
        given = src.text(src.first(element, "givenName"))
        family = src.text(src.first(element, "familyName"))
        if name_type == "organizational":
            person = {"type": "organizational", "name": name or family}
            if not person["name"]:
                src.unmapped(element, "organisation without a name", value="")
                continue
        else:
            if not family and name:
                family, split_given = _split_name(name)
                given = given or split_given
            if not family:
                src.unmapped(element, "person without a name", value="")
                continue
            person = {"type": "personal", "family_name": family}
            if given:
                person["given_name"] = given
        identifiers = _person_identifiers(src, element)
        if identifiers:
            person["identifiers"] = identifiers
        entry = {"person_or_org": person}
        affiliations = _affiliations(src, element)
        if affiliations:
            entry["affiliations"] = affiliations
        if name_tag == "contributorName":
            entry["role"] = _role(src, element)
        people.append(entry)
    return people


def _person_identifiers(src, element):
    identifiers, schemes = [], set()
    for id_element in src.all(element, "nameIdentifier"):
        value = src.text(id_element)
        scheme_name = src.attr(id_element, "nameIdentifierScheme") or ""
        scheme = scheme_name.lower()
        if not value:
            continue
        if scheme not in PERSON_SCHEMES:
            src.unmapped(
                id_element, f"scheme {scheme_name!r} is not accepted for people"
            )
            continue
        check, normalise = PERSON_SCHEMES[scheme]
        if not check(value):
            src.unmapped(id_element, f"not a valid {scheme_name}")
            continue
        if scheme in schemes:
            src.unmapped(id_element, f"RDM keeps one {scheme_name} per person")
            continue
        # schemeURI only repeats the scheme's resolver, which RDM knows itself.
        src.attr(id_element, "schemeURI")
        schemes.add(scheme)
        identifiers.append({"scheme": scheme, "identifier": normalise(value)})
    return identifiers


def _affiliations(src, element):
    affiliations = []
    for aff in src.all(element, "affiliation"):
        name = src.text(aff)
        if aff.get("affiliationIdentifier"):
            src.unmapped(
                aff,
                "needs CS4OD's affiliations vocabulary; name kept",
                "affiliationIdentifier",
            )
            # Scheme and scheme URI only qualify the identifier reported above.
            src.attr(aff, "affiliationIdentifierScheme")
            src.attr(aff, "schemeURI")
        if name and {"name": name} not in affiliations:
            affiliations.append({"name": name})
    return affiliations


def _role(src, element):
    kind = src.attr(element, "contributorType")
    role = vocabularies.roles().get((kind or "").lower())
    if role is None:
        src.unmapped(
            element,
            "contributor type not in RDM's roles; role 'other'",
            "contributorType",
            kind or "",
        )
        role = "other"
    return {"id": role}
