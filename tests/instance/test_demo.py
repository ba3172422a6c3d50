"""The demo content of the portal: a dataset, a community, a project the community accepted."""

from cs4od_invenio.vocabularies import load_vocabularies


def test_demo_content_is_complete_and_loads_once(app, db, client, owner, location,
                                                 resource_types, licenses, search_clear):
    load_vocabularies()
    from cs4od_site.demo import load_demo

    first = list(load_demo(owner_email=owner.email))
    assert [line.split(":")[0] for line in first] == [
        "published", "published", "created", "published"]

    found = client.get("/api/projects?q=population", headers={"accept": "application/json"})
    (project,) = found.json["hits"]["hits"]
    assert project["metadata"]["datasets"][0]["title"] == (
        "World historical and predicted populations (percentage by region)")
    assert project["metadata"]["notebooks"][0]["resource_type"] == (
        "software-computationalnotebook")
    assert [s["id"] for s in project["metadata"]["sdgs"]] == ["sdg11", "sdg10"]
    community = client.get("/api/communities/open-population-data").json
    assert project["parent"]["communities"]["ids"] == [community["id"]]
    assert project["parent"]["access"]["owned_by"] == {"user": str(owner.id)}

    again = list(load_demo(owner_email=owner.email))
    assert [line.split(":")[0] for line in again] == ["already there"] * 4
