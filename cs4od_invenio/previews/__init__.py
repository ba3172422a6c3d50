"""Tabular previews, concatenations, charts and analyses (issue 5)."""
