"""OAI-PMH harvesting of Zenodo communities and exposure of projects (issue 7)."""
