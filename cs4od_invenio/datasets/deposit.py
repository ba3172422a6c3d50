"""Add a dataset or a notebook to a project: one RDM record, published and linked.

The owner of a project gives a title, a description, the creators (persons with
affiliation and ORCID, or organisations) and the files. An RDM record of resource type
*dataset* or *computational notebook* is made, its files stored, published, and linked
into the project. Nothing is left behind when a step fails: an unpublished draft is
deleted, so the user can correct the input and try again.
"""

import datetime
import io

from flask import current_app
from invenio_i18n import gettext as _
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_records_resources.proxies import current_service_registry
from marshmallow import ValidationError

from ..projects.services.components import nested_errors
from .notebooks import notebook_problem

KINDS = {
    "dataset": {"resource_type": "dataset", "field": "datasets", "extensions": None},
    "notebook": {
        "resource_type": "software-computationalnotebook",
        "field": "notebooks",
        "extensions": (".ipynb",),
    },
}


def _creator(entry, index, errors):
    """An RDM creator from the form's creator: a person or an organisation."""
    kind = entry.get("type") or "personal"
    where = f"metadata.creators.{index}"
    if kind == "organizational":
        name = (entry.get("name") or "").strip()
        if not name:
            errors.append({"field": f"{where}.name", "messages": [_("Give the name.")]})
        person = {"type": "organizational", "name": name}
    else:
        family = (entry.get("family_name") or "").strip()
        if not family:
            errors.append({"field": f"{where}.family_name",
                           "messages": [_("Give the family name.")]})
        person = {"type": "personal", "family_name": family,
                  "given_name": (entry.get("given_name") or "").strip()}
        orcid = (entry.get("orcid") or "").strip()
        if orcid:
            person["identifiers"] = [{"scheme": "orcid", "identifier": orcid}]
    creator = {"person_or_org": person}
    affiliation = (entry.get("affiliation") or "").strip()
    if affiliation:
        creator["affiliations"] = [{"name": affiliation}]
    return creator


def _check(kind, metadata, files):
    """The RDM payload of the deposit, or a ValidationError naming each bad field."""
    errors = []
    if kind not in KINDS:
        errors.append({"field": "kind", "messages": [_("Choose dataset or notebook.")]})
    title = (metadata.get("title") or "").strip()
    if not title:
        errors.append({"field": "metadata.title", "messages": [_("Give a title.")]})
    description = (metadata.get("description") or "").strip()
    if not description:
        errors.append({"field": "metadata.description",
                       "messages": [_("Give a description.")]})
    creators = [_creator(c, i, errors) for i, c in enumerate(metadata.get("creators") or [])]
    if not creators:
        errors.append({"field": "metadata.creators",
                       "messages": [_("Name at least one author or creator.")]})
    if not files:
        errors.append({"field": "files", "messages": [_("Add at least one file.")]})
    extensions = KINDS.get(kind, {}).get("extensions")
    for index, (name, content) in enumerate(files):
        if extensions and not name.lower().endswith(extensions):
            errors.append({"field": f"files.{index}", "messages": [
                _("%(name)s is not a Jupyter notebook (.ipynb).", name=name)]})
        elif extensions:
            problem = notebook_problem(content)
            if problem:
                errors.append({"field": f"files.{index}",
                               "messages": [f"{name}: {problem}"]})
    if errors:
        raise ValidationError(nested_errors(errors))
    return {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": True},
        "metadata": {
            "resource_type": {"id": KINDS[kind]["resource_type"]},
            "title": title,
            "description": description,
            "creators": creators,
            "publication_date": datetime.date.today().isoformat(),
            "publisher": current_app.config.get("THEME_SITENAME", "CS4OD"),
        },
    }


def add_to_project(identity, project_id, kind, metadata, files):
    """Deposit ``files`` ([(name, bytes)]) as a new record and link it into the project.

    Returns ``(record, project)``: the published record and the project as it is now
    (published again with the link; or, when the owner has unpublished changes in a
    draft, that draft with the link added, left for the owner to publish).
    """
    projects = current_service_registry.get("projects")
    project_record = projects.record_cls.pid.resolve(project_id)
    projects.require_permission(identity, "manage", record=project_record)
    payload = _check(kind, metadata, files)

    rdm = current_rdm_records_service
    draft = rdm.create(identity, payload)
    try:
        if draft.errors:
            raise ValidationError(nested_errors(draft.errors))  # RDM names the fields
        keys = [name for name, _content in files]
        rdm.draft_files.init_files(identity, draft.id, [{"key": key} for key in keys])
        for name, content in files:
            rdm.draft_files.set_file_content(identity, draft.id, name, io.BytesIO(content))
            rdm.draft_files.commit_file(identity, draft.id, name)
        record = rdm.publish(identity, draft.id)
    except Exception:
        rdm.delete_draft(identity, draft.id)
        raise

    project, _changed = link_into_project(identity, project_id, KINDS[kind]["field"],
                                          record.id)
    return record, project


def link_into_project(identity, project_id, field, record_id, replaces=()):
    """Link record ``record_id`` into the project's ``field`` (datasets or notebooks).

    Links to the records in ``replaces`` (earlier versions of the same record) go.

    Returns ``(project, changed)``: the project as it is now (published again with the
    link; or, when the owner has unpublished changes in a draft, that draft with the
    link added, left for the owner to publish) and whether a link was added.
    """
    projects = current_service_registry.get("projects")
    project_record = projects.record_cls.pid.resolve(project_id)
    projects.require_permission(identity, "manage", record=project_record)
    had_draft = project_record.has_draft
    if had_draft:
        current = projects.read_draft(identity, project_id).to_dict()
    else:
        current = projects.read(identity, project_id).to_dict()
    linked = [link["id"] for link in current["metadata"].get(field, [])]
    if record_id in linked and not set(replaces) & set(linked):
        return projects.read_draft(identity, project_id) if had_draft else projects.read(
            identity, project_id), False
    project_draft = projects.edit(identity, project_id)
    data = project_draft.to_dict()
    links = [{"id": link["id"]} for link in data["metadata"].get(field, [])
             if link["id"] not in replaces and link["id"] != record_id]
    data["metadata"][field] = links + [{"id": record_id}]
    for other in ("datasets", "notebooks", "sdgs", "domains"):
        if other != field and other in data["metadata"]:
            data["metadata"][other] = [{"id": x["id"]} for x in data["metadata"][other]]
    projects.update_draft(identity, project_id, {
        "metadata": data["metadata"], "access": data["access"]})
    if had_draft:
        return projects.read_draft(identity, project_id), True
    return projects.publish(identity, project_id), True
