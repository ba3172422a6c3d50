"""Project record type: records, services, resources and UI (issue 3)."""
