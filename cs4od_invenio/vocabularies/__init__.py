"""Vocabularies of CS4OD: UN SDGs and scientific domains (issue 3)."""
