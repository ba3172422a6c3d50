"""Geolocations: places and points."""


def add_locations(src, metadata):
    """Geolocations with a place name or a point as RDM location features."""
    features = []
    for element in src.all(src.root, "geoLocations/geoLocation"):
        feature = {}
        place = src.text(src.first(element, "geoLocationPlace"))
        if place:
            feature["place"] = place
        point = src.first(element, "geoLocationPoint")
        if point is not None:
            try:
                lon = float(src.text(src.first(point, "pointLongitude")))
                lat = float(src.text(src.first(point, "pointLatitude")))
                feature["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
            except (TypeError, ValueError):
                src.unmapped(point, "point without numeric coordinates", value="")
        if feature:
            features.append(feature)
    if features:
        metadata["locations"] = {"features": features}
