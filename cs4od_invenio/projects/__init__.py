"""Projects: a record type that gathers datasets and notebooks around a question.

Layers as in invenio-records-resources: ``records`` (models, API classes, JSONSchema,
search mappings) → ``services`` → ``resources`` (REST) → ``views`` (web pages).
"""
