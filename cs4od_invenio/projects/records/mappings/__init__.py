"""Files of the projects record type."""
