"""Dataset and notebook deposit helpers and the Zenodo import (issue 4)."""
