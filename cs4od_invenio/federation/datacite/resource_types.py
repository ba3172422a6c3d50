"""DataCite resource types looked up in RDM's resource type vocabulary."""

from .. import vocabularies


def resource_type_id(general, subtype=None):
    """The RDM resource type id for a DataCite general type and free-text type, or None."""
    table = vocabularies.resource_types()
    general = (general or "").strip().lower()
    subtype = (subtype or "").strip().lower()
    for key in ((general, subtype), (subtype, ""), (general, "")):
        if key[0] and key in table:
            return table[key]
    return None


def read_resource_type(src):
    """The RDM resource type of the resource (``other`` when there is none)."""
    element = src.first(src.root, "resourceType")
    general = src.attr(element, "resourceTypeGeneral")
    subtype = src.text(element)
    table = vocabularies.resource_types()
    id_ = resource_type_id(general, subtype)
    if id_ is None:
        if element is not None:
            src.unmapped(
                element, "resource type not in RDM's vocabulary", "resourceTypeGeneral"
            )
        return {"id": "other"}
    exact = (general or "").lower(), (subtype or "").lower()
    if subtype and exact not in table and (exact[1], "") not in table:
        src.unmapped(element, f"free-text type has no RDM subtype; mapped to {id_!r}")
    return {"id": id_}
