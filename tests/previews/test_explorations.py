"""Charts, analyses and concatenations saved on a project, computed by Celery tasks
(eagerly in tests) from the tables of its datasets."""

import csv
import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from invenio_rdm_records.proxies import current_rdm_records_service

from helpers import publish_with_files, token_for
from previews_charts.chart_data import week_start
from projects_fixtures import refresh

DATA = Path(__file__).parent.parent / "data"
POPULATION = DATA / "World_historical_and_predicted_populations_in_percentage.csv"
DEATHS = DATA / "eurostat_demo_r_mwk_ts__mafik-europe-deaths-by-week.tsv"


def _publish(identity, files, title="World population shares", access="public"):
    return publish_with_files(identity, files, title, access)


def _year_table(year):
    """The real Eurostat table cut to the weeks of one year, in the same format."""
    rows = list(csv.reader(io.StringIO(DEATHS.read_text()), delimiter="\t"))
    keep = [0] + [i for i, h in enumerate(rows[0]) if h.strip().startswith(year)]
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(
        [[row[i] for i in keep] for row in rows])
    return out.getvalue().encode(), len(rows) - 1, len(keep) - 1


def _link(projects_service, owner, project_id, record_ids):
    draft = projects_service.edit(owner.identity, project_id)
    data = draft.to_dict()
    data["metadata"]["datasets"] = [{"id": i} for i in record_ids]
    for field in ("sdgs", "domains"):
        data["metadata"][field] = [{"id": x["id"]} for x in data["metadata"].get(field, [])]
    projects_service.update_draft(owner.identity, project_id, {
        "metadata": data["metadata"], "access": data["access"]})
    projects_service.publish(owner.identity, project_id)
    refresh()


@pytest.fixture()
def project(published_project, projects_service, owner, location, resource_types,
            relation_types):
    population = _publish(owner.identity, {POPULATION.name: POPULATION.read_bytes()})
    deaths_2019, keys, weeks_2019 = _year_table("2019")
    deaths_2020, _, weeks_2020 = _year_table("2020")
    deaths = _publish(owner.identity, {"deaths_2019.tsv": deaths_2019,
                                       "deaths_2020.tsv": deaths_2020},
                      title="Weekly deaths in Europe")
    _link(projects_service, owner, published_project.id, [population, deaths])
    return {"id": published_project.id, "population": population, "deaths": deaths,
            "rows": keys * (weeks_2019 + weeks_2020)}


def _save(client, auth, project_id, body):
    return client.post(f"/api/projects/{project_id}/explorations", json=body,
                       headers={**auth, "accept": "application/json"})


def test_a_line_chart_of_population_shares(client, db, auth, project):
    rows = list(csv.reader(io.StringIO(POPULATION.read_text())))
    years = rows[0][1:]
    answer = _save(client, auth, project["id"], {
        "kind": "chart", "title": "Shares of the world population",
        "sources": [{"record_id": project["population"], "key": POPULATION.name}],
        "spec": {"type": "line", "x": "year", "y": "share", "group": "Region",
                 "unpivot": {"columns": years, "key": "year", "value": "share"}},
    })
    assert answer.status_code == 202, answer.json
    assert answer.json["status"] == "succeeded", answer.json["message"]
    africa = next(r for r in rows if r[0] == "Africa")
    points = {(p["group"], p["x"]): p["y"] for p in answer.json["result"]["data"]}
    assert points[("Africa", 2150)] == float(africa[years.index("2150") + 1])

    svg = client.get(urlsplit(answer.json["links"]["svg"]).path)
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"Africa" in svg.data and svg.data.lstrip().startswith(b"<svg")
    assert "default-src 'none'" in svg.headers["Content-Security-Policy"]
    png = client.get(f"/api/projects/{project['id']}/explorations/{answer.json['id']}/chart.png")
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
    code = client.get(f"/api/projects/{project['id']}/explorations/{answer.json['id']}/code.py")
    assert b"matplotlib" in code.data and b"pandas" in code.data

    listed = client.get(f"/api/projects/{project['id']}/explorations").json["hits"]
    assert [e["title"] for e in listed] == ["Shares of the world population"]


def test_a_bad_chart_is_refused_with_the_columns_there_are(client, db, auth, project):
    answer = _save(client, auth, project["id"], {
        "kind": "chart", "title": "Oops",
        "sources": [{"record_id": project["population"], "key": POPULATION.name}],
        "spec": {"type": "bar", "x": "Continent", "y": "1500", "aggregation": "sum"},
    })
    assert answer.status_code == 400
    error = {e["field"]: e["messages"] for e in answer.json["errors"]}
    assert "Region" in error["spec"][0] and "Continent" in error["spec"][0]
    other = _save(client, auth, project["id"], {
        "kind": "chart", "title": "Not ours",
        "sources": [{"record_id": "abcde-12345", "key": "x.csv"}], "spec": {}})
    assert other.json["errors"] == [{"field": "sources.0",
                                     "messages": ["Not a dataset of this project."]}]


def test_deaths_summed_for_a_country(client, db, auth, project):
    rows = list(csv.reader(io.StringIO(DEATHS.read_text()), delimiter="\t"))
    header = rows[0]
    italy = next(r for r in rows[1:] if r[0].split(",") == ["T", "NR", "IT"])
    expected = sum(float(v.split()[0]) for h, v in zip(header[1:], italy[1:])
                   if h.strip().startswith("2019") and v.strip() not in (":", ""))
    answer = _save(client, auth, project["id"], {
        "kind": "analysis", "title": "Deaths in Italy, 2019",
        "sources": [{"record_id": project["deaths"], "key": "deaths_2019.tsv"}],
        "spec": {"kind": "group_by", "by": ["geo"],
                 "aggregations": [{"column": "value", "function": "sum"}],
                 "filters": [{"column": "geo", "op": "==", "value": "IT"},
                             {"column": "sex", "op": "==", "value": "T"}]},
    })
    assert answer.json["status"] == "succeeded", answer.json["message"]
    result = answer.json["result"]
    assert result["rows"] == [["IT", pytest.approx(expected)]]
    assert "pandas" in client.get(urlsplit(answer.json["links"]["code"]).path).data.decode()


def test_concatenation_publishes_a_derived_dataset(client, db, owner, auth, project,
                                                   projects_service):
    answer = _save(client, auth, project["id"], {
        "kind": "concatenation", "title": "Weekly deaths 2019 and 2020",
        "sources": [{"record_id": project["deaths"], "key": "deaths_2019.tsv"},
                    {"record_id": project["deaths"], "key": "deaths_2020.tsv"}],
    })
    assert answer.json["status"] == "succeeded", answer.json["message"]
    result = answer.json["result"]
    assert result["report"]["rows"] == project["rows"]
    derived = current_rdm_records_service.read(owner.identity, result["record_id"]).to_dict()
    assert derived["metadata"]["title"] == "Weekly deaths 2019 and 2020"
    assert [(r["identifier"].endswith(f"/records/{project['deaths']}"),
             r["relation_type"]["id"]) for r in derived["metadata"]["related_identifiers"]
            ] == [(True, "isderivedfrom")]
    assert list(derived["files"]["entries"]) == [result["key"]]
    linked = projects_service.read(owner.identity, project["id"]).to_dict()
    assert result["record_id"] in [d["id"] for d in linked["metadata"]["datasets"]]


@pytest.mark.parametrize("full_name, creator", [
    ("Ada  King Lovelace", {"type": "personal", "given_name": "Ada King",
                            "family_name": "Lovelace", "name": "Lovelace, Ada King"}),
    ("", {"type": "organizational", "name": "CS4OD"}),
])
def test_a_derived_dataset_of_a_project_without_creators_credits_its_maker(
        client, db, owner, auth, project, projects_service, full_name, creator):
    """No creators on the project: the person who combined the tables, by the name in
    their profile; with no name there, the site (never an e-mail address)."""
    draft = projects_service.edit(owner.identity, project["id"]).to_dict()
    metadata = {**draft["metadata"], "creators": []}
    for field in ("sdgs", "domains", "datasets"):
        metadata[field] = [{"id": x["id"]} for x in metadata.get(field, [])]
    projects_service.update_draft(owner.identity, project["id"],
                                  {"metadata": metadata, "access": draft["access"]})
    projects_service.publish(owner.identity, project["id"])
    owner.user.user_profile = {"full_name": full_name}
    db.session.commit()
    answer = _save(client, auth, project["id"], {
        "kind": "concatenation", "title": "Weekly deaths 2019 and 2020",
        "sources": [{"record_id": project["deaths"], "key": "deaths_2019.tsv"},
                    {"record_id": project["deaths"], "key": "deaths_2020.tsv"}],
    })
    assert answer.json["status"] == "succeeded", answer.json["message"]
    derived = current_rdm_records_service.read(
        owner.identity, answer.json["result"]["record_id"]).to_dict()
    assert [c["person_or_org"] for c in derived["metadata"]["creators"]] == [creator]


def test_strangers_do_not_see_results_of_restricted_tables(
        client, db, owner, stranger, auth, project, projects_service):
    secret = _publish(owner.identity, {POPULATION.name: POPULATION.read_bytes()},
                      title="Restricted copy", access="restricted")
    _link(projects_service, owner, project["id"], [project["population"], secret])
    answer = _save(client, auth, project["id"], {
        "kind": "chart", "title": "From the restricted copy",
        "sources": [{"record_id": secret, "key": POPULATION.name}],
        "spec": {"type": "bar", "x": "Region", "y": "2150", "aggregation": "sum"}})
    assert answer.json["status"] == "succeeded", answer.json["message"]
    stranger_auth = {"authorization": f"Bearer {token_for(stranger, db)}"}
    listed = client.get(f"/api/projects/{project['id']}/explorations",
                        headers=stranger_auth).json["hits"]
    assert listed == [{"id": answer.json["id"], "kind": "chart", "restricted": True}]
    svg = client.get(f"/api/projects/{project['id']}/explorations/{answer.json['id']}"
                     "/chart.svg", headers=stranger_auth)
    assert svg.status_code == 403
    refused = _save(client, stranger_auth, project["id"], {
        "kind": "chart", "title": "Mine", "sources": [
            {"record_id": project["population"], "key": POPULATION.name}],
        "spec": {"type": "bar", "x": "Region", "y": "2150", "aggregation": "sum"}})
    assert refused.status_code == 403


def test_analyses_by_month_and_described(client, db, auth, project):
    """A resampling and descriptive statistics, saved and computed; a bad spec is
    refused before anything is saved, and one the table cannot answer fails with its
    reason."""
    rows = list(csv.reader(io.StringIO(DEATHS.read_text()), delimiter="\t"))
    sweden = next(r for r in rows[1:] if r[0].split(",") == ["T", "NR", "SE"])
    cells = [(h.strip(), float(v.split()[0])) for h, v in zip(rows[0][1:], sweden[1:])
             if h.strip().startswith("2019") and v.strip() not in (":", "")]
    weekly = [value for _, value in cells]
    # 2019W99 (deaths of an unknown week) is in no month
    in_weeks = [value for label, value in cells if week_start(label) is not None]
    assert len(in_weeks) == len(weekly) - 1
    source = [{"record_id": project["deaths"], "key": "deaths_2019.tsv"}]
    sweden_only = [{"column": "geo", "op": "==", "value": "SE"},
                   {"column": "sex", "op": "==", "value": "T"}]
    monthly = _save(client, auth, project["id"], {
        "kind": "analysis", "title": "Deaths in Sweden per month", "sources": source,
        "spec": {"kind": "resample", "time": "time", "to": "month",
                 "aggregations": [{"column": "value", "function": "sum"}],
                 "filters": sweden_only}})
    assert monthly.status_code == 202
    assert monthly.json["status"] == "succeeded", monthly.json["message"]
    result = monthly.json["result"]
    assert result["columns"] == ["period", "value_sum"]
    assert len(result["rows"]) == 12 and result["rows"][0][0] == "2019-01"
    assert sum(r[1] for r in result["rows"]) == pytest.approx(sum(in_weeks))

    described = _save(client, auth, project["id"], {
        "kind": "analysis", "title": "Weekly deaths in Sweden", "sources": source,
        "spec": {"kind": "describe", "columns": ["value"], "filters": sweden_only}})
    assert described.json["status"] == "succeeded", described.json["message"]
    [row] = described.json["result"]["rows"]
    assert row[:2] == ["value", len(weekly)] and row[4:] == [min(weekly), max(weekly)]
    code = client.get(urlsplit(described.json["links"]["code"]).path).data.decode()
    assert ".agg(['count', 'mean', 'std', 'min', 'max'])" in code

    refused = _save(client, auth, project["id"], {
        "kind": "analysis", "title": "Per country", "sources": source,
        "spec": {"kind": "group_by", "by": ["country"],
                 "aggregations": [{"column": "value", "function": "sum"}]}})
    assert refused.status_code == 400
    [error] = refused.json["errors"]
    assert error["field"] == "spec"
    assert "'country', which is no column" in error["messages"][0]
    assert "'geo'" in error["messages"][0]

    failed = _save(client, auth, project["id"], {
        "kind": "analysis", "title": "Resampled by value", "sources": source,
        "spec": {"kind": "resample", "time": "value", "to": "year",
                 "aggregations": [{"column": "value", "function": "count"}]}})
    assert failed.status_code == 202
    assert failed.json["status"] == "failed"
    assert failed.json["message"] == "Column 'value' holds no dates or week labels."
    listed = client.get(f"/api/projects/{project['id']}/explorations").json["hits"]
    assert [(e["title"], e["status"]) for e in listed] == [
        ("Deaths in Sweden per month", "succeeded"),
        ("Weekly deaths in Sweden", "succeeded"),
        ("Resampled by value", "failed")]
