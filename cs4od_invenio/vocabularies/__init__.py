"""Vocabularies of CS4OD: UN Sustainable Development Goals and scientific domains.

Both are generic invenio-vocabularies types, so they are served at
``/api/vocabularies/<type>`` and searched and faceted like RDM's own vocabularies.
"""

from .fixtures import VOCABULARIES, load_vocabularies

__all__ = ("VOCABULARIES", "load_vocabularies")
