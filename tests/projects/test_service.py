"""The project service: drafts, publication, revisions, search, removal, validation."""

import pytest
from invenio_records_resources.services.errors import PermissionDeniedError
from marshmallow import ValidationError

from projects_fixtures import refresh
from cs4od_invenio.projects.services import ProjectRemovedError
from helpers import project_data


def test_simple_flow(projects_service, owner, vocabularies, dataset, search_clear):
    """Create a draft, publish it, find it, read it with its links resolved."""
    data = project_data(datasets=[{"id": dataset.id}])
    draft = projects_service.create(owner.identity, data)
    assert draft["is_published"] is False
    assert draft["metadata"]["title"] == "Excess mortality in Europe"

    project = projects_service.publish(owner.identity, draft.id).to_dict()
    assert project["is_published"] is True
    assert project["parent"]["access"]["owned_by"] == {"user": str(owner.id)}
    assert project["access"] == {"record": "public"}

    meta = project["metadata"]
    assert meta["sdgs"][0]["id"] == "sdg3"
    assert meta["sdgs"][0]["title"] == {"en": "Good health and well-being"}
    assert meta["domains"][0]["title"] == {"en": "Health sciences"}
    linked = meta["datasets"][0]
    assert linked["id"] == dataset.id
    assert linked["title"] == "Weekly deaths in Europe"
    assert linked["resource_type"] == "dataset"
    assert linked["links"]["self_html"].endswith(f"/records/{dataset.id}")
    assert meta["zenodo_communities"][0]["url"] == "https://zenodo.org/communities/covid-19"
    assert meta["creators"][0]["person_or_org"]["name"] == "Carberry, Josiah"

    refresh()
    hits = projects_service.search(owner.identity, params={"q": "mortality"}).to_dict()
    assert [h["id"] for h in hits["hits"]["hits"]] == [project["id"]]
    # The search hit carries the linked dataset's title from the index.
    assert hits["hits"]["hits"][0]["metadata"]["datasets"][0]["title"] == (
        "Weekly deaths in Europe"
    )
    assert projects_service.read(owner.identity, project["id"])["id"] == project["id"]


def test_draft_keeps_incomplete_text(projects_service, owner, vocabularies, search_clear):
    """A draft without title is saved with the error listed; publishing refuses it."""
    data = project_data()
    del data["metadata"]["title"]
    draft = projects_service.create(owner.identity, data)
    assert {"field": "metadata.title", "messages": ["Missing data for required field."]} in (
        draft.errors
    )
    with pytest.raises(ValidationError) as error:
        projects_service.publish(owner.identity, draft.id)
    assert "title" in error.value.messages["metadata"]


def test_edit_publishes_a_new_revision(projects_service, owner, published_project):
    """Editing a published project and publishing again updates it in place."""
    id_ = published_project.id
    revision = published_project._record.revision_id
    projects_service.edit(owner.identity, id_)
    data = project_data(title="Excess mortality in Europe, 2019-2021")
    projects_service.update_draft(owner.identity, id_, data)
    # Until published, everyone still sees the published title.
    assert projects_service.read(owner.identity, id_)["metadata"]["title"] == (
        "Excess mortality in Europe"
    )
    updated = projects_service.publish(owner.identity, id_)
    assert updated["metadata"]["title"] == "Excess mortality in Europe, 2019-2021"
    assert updated._record.revision_id > revision
    assert updated["id"] == id_


def test_user_search_lists_drafts_and_projects(projects_service, owner, stranger,
                                               published_project):
    """"My projects" shows the owner's drafts and published projects, nobody else's."""
    projects_service.create(owner.identity, project_data(title="Unfinished idea"))
    refresh()
    mine = projects_service.search_drafts(owner.identity).to_dict()["hits"]["hits"]
    assert sorted(h["metadata"]["title"] for h in mine) == [
        "Excess mortality in Europe", "Unfinished idea"]
    assert projects_service.search_drafts(stranger.identity).total == 0
    status = projects_service.search_drafts(owner.identity).to_dict()["aggregations"][
        "is_published"]
    assert status["label"] == "Status"
    assert {b["key"]: (b["doc_count"], b["label"]) for b in status["buckets"]} == {
        "true": (1, "Published"), "false": (1, "Draft")}


def test_facets(projects_service, owner, vocabularies, search_clear):
    """Facets on SDGs, domains and tags carry the vocabulary titles."""
    projects_service.publish(owner.identity, projects_service.create(
        owner.identity, project_data(sdgs=[{"id": "sdg3"}, {"id": "sdg13"}])).id)
    projects_service.publish(owner.identity, projects_service.create(
        owner.identity, project_data(sdgs=[{"id": "sdg13"}], tags=["climate"])).id)
    refresh()
    result = projects_service.search(owner.identity).to_dict()
    sdgs = {b["key"]: (b["doc_count"], b["label"])
            for b in result["aggregations"]["sdgs"]["buckets"]}
    assert sdgs == {"sdg13": (2, "Climate action"),
                    "sdg3": (1, "Good health and well-being")}
    filtered = projects_service.search(owner.identity, params={"facets": {"tags": ["climate"]}})
    assert filtered.total == 1


def test_removal_leaves_a_tombstone(projects_service, owner, published_project, db):
    """A removed project answers with its tombstone, leaves search, keeps its data."""
    id_ = published_project.id
    projects_service.delete(owner.identity, id_, reason="Duplicate of another project")
    refresh()
    with pytest.raises(ProjectRemovedError) as error:
        projects_service.read(owner.identity, id_)
    tombstone = error.value.record["tombstone"]
    assert tombstone["reason"] == "Duplicate of another project"
    assert tombstone["removed_by"] == {"user": str(owner.id)}
    assert projects_service.search(owner.identity).total == 0
    # Nothing is lost: the published metadata is still stored.
    stored = projects_service.record_cls.pid.resolve(id_)
    assert stored["metadata"]["title"] == "Excess mortality in Europe"


@pytest.mark.parametrize("field, value, error_field", [
    ("sdgs", [{"id": "sdg3"}, {"id": "sdg18"}], "metadata.sdgs.1"),
    ("domains", [{"id": "9.9"}], "metadata.domains.0"),
    ("datasets", [{"id": "abcde-12345"}], "metadata.datasets.0"),
    ("notebooks", [{"id": "abcde-12345"}], "metadata.notebooks.0"),
    ("zenodo_communities", [{"id": "Not A Slug!"}], "metadata.zenodo_communities.0.id"),
    ("creators", [{"person_or_org": {
        "type": "personal", "family_name": "Carberry",
        "identifiers": [{"scheme": "orcid", "identifier": "0000-0002-1825-0098"}]}}],
     "metadata.creators.0.person_or_org.identifiers.0.identifier"),
])
def test_invalid_values_are_rejected_even_in_drafts(
    projects_service, owner, vocabularies, search_clear, field, value, error_field
):
    """Unknown terms, missing records, bad ORCIDs: the draft is refused, naming the field."""
    with pytest.raises(ValidationError) as error:
        projects_service.create(owner.identity, project_data(**{field: value}))
    flat = _flatten(error.value.messages)
    assert error_field in flat, flat


def test_link_to_a_record_the_user_cannot_read(projects_service, stranger, vocabularies,
                                               restricted_dataset):
    """A restricted dataset of someone else cannot be linked (nor its existence learnt)."""
    with pytest.raises(ValidationError) as error:
        projects_service.create(
            stranger.identity, project_data(datasets=[{"id": restricted_dataset.id}]))
    assert _flatten(error.value.messages)["metadata.datasets.0"] == [
        f"No published record {restricted_dataset.id} that you can read."]


def test_a_refused_update_loses_nothing(projects_service, owner, published_project):
    """A bad edit is refused and the draft keeps its earlier content."""
    id_ = published_project.id
    projects_service.edit(owner.identity, id_)
    with pytest.raises(ValidationError):
        projects_service.update_draft(
            owner.identity, id_, project_data(title="Changed", sdgs=[{"id": "sdg99"}]))
    draft = projects_service.read_draft(owner.identity, id_)
    assert draft["metadata"]["title"] == "Excess mortality in Europe"
    assert [s["id"] for s in draft["metadata"]["sdgs"]] == ["sdg3"]


def test_stranger_cannot_edit(projects_service, stranger, published_project):
    """Only the owner opens a draft of a project."""
    with pytest.raises(PermissionDeniedError):
        projects_service.edit(stranger.identity, published_project.id)


def _flatten(messages, prefix=""):
    flat = {}
    for key, value in messages.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat
