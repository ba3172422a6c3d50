"""Curation: projects join communities through review requests (invenio-requests).

The owner submits a published project to a community; the community's curators,
managers or owners accept it (the project joins the community) or decline it, with
comments in the request timeline, as for RDM records.
"""
