"""The owner of a project combines two of its tables in the browser: the rows of the real
Eurostat weekly deaths of 2019 and of 2020 are stacked (the 2020 table has one more
column), the page reports the columns each table lacks or adds, and the combined table
is a new dataset derived from both sources. Tables that share no column cannot be
combined: the page says why, and the earlier result and the datasets stay."""

import csv
import io

import pytest
from previews_charts.chart_data import DEATHS, week_start

from helpers import WORLDPOPULATION_CSV, log_in, publish_with_files

pytestmark = pytest.mark.e2e

COUNTRIES = ("DK", "FI", "NO", "SE")
FIRST, SECOND = "nordic_deaths_2019.csv", "nordic_deaths_2020.csv"
TITLE = "Weekly deaths in the Nordic countries, 2019 and 2020"


def _nordic_deaths(year, flags):
    """The real Eurostat weekly deaths (both sexes) of four countries in one year, one
    row per country and week dated by its Monday; with ``flags`` also Eurostat's flag
    of each figure (``p``: provisional) as a fourth column. The CSV and its rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["week_start", "geo", "deaths"] + (["flag"] if flags else []))
    rows = 0
    with open(DEATHS, encoding="utf-8") as handle:
        weeks = [label.strip() for label in handle.readline().split("\t")[1:]]
        for line in handle:
            cells = line.rstrip("\r\n").split("\t")
            sex, _unit, geo = cells[0].split(",")
            if sex != "T" or geo not in COUNTRIES:
                continue
            for week, cell in zip(weeks, cells[1:]):
                day = week_start(week)
                number, _, flag = cell.strip().partition(" ")
                if day is None or day.year != year or not number.isdigit():
                    continue
                writer.writerow(
                    [day.isoformat(), geo, int(number)]
                    + ([flag.strip()] if flags else [])
                )
                rows += 1
    return out.getvalue().encode(), rows


@pytest.fixture(scope="module")
def project(UserFixture, app, database, portal, location, resource_types_committed):
    """A project of its owner with three tables: the deaths of 2019 and of 2020 (two
    datasets) and the world population shares (a table sharing no column with them)."""
    from invenio_records_resources.proxies import current_service_registry

    user = UserFixture(email="sigrid@cs4od.test", password="sigrid-password-1")
    user.create(app, database)
    first, first_rows = _nordic_deaths(2019, flags=False)
    second, second_rows = _nordic_deaths(2020, flags=True)
    deaths_2019 = publish_with_files(
        user.identity, {FIRST: first}, "Weekly deaths in the Nordic countries, 2019"
    )
    deaths_2020 = publish_with_files(
        user.identity, {SECOND: second}, "Weekly deaths in the Nordic countries, 2020"
    )
    population = publish_with_files(
        user.identity,
        {WORLDPOPULATION_CSV.name: WORLDPOPULATION_CSV.read_bytes()},
        "World population shares",
    )
    projects = current_service_registry.get("projects")
    draft = projects.create(
        user.identity,
        {
            "access": {"record": "public"},
            "metadata": {
                "title": "Mortality in the Nordic countries",
                "description": "<p>Weekly deaths, 2019 and 2020.</p>",
                "datasets": [
                    {"id": deaths_2019},
                    {"id": deaths_2020},
                    {"id": population},
                ],
            },
        },
    )
    published = projects.publish(user.identity, draft.id)
    database.session.commit()
    return {
        "user": user,
        "id": published.id,
        "sources": [deaths_2019, deaths_2020],
        "population": population,
        "rows": (first_rows, second_rows),
    }


def pick_many(page, dropdown_id, *texts):
    """Choose options of a multiple selection dropdown, closing it after each (it stays
    open after a choice, and a click on it then would close it)."""
    for text in texts:
        page.click(f"#{dropdown_id}")
        page.locator(f"#{dropdown_id} .menu .item", has_text=text).first.click()
        page.keyboard.press("Escape")


def saved(page, title, status):
    """The saved result of this title, once in this state."""
    heading = page.get_by_role("heading", name=title, exact=True)
    return page.locator(f".cs4od-exploration[data-status={status}]", has=heading)


def project_datasets(portal, page, project_id):
    answer = page.request.get(f"{portal}/api/projects/{project_id}")
    assert answer.ok, answer.text()
    return [d["id"] for d in answer.json()["metadata"]["datasets"]]


def results(portal, page, project_id):
    answer = page.request.get(f"{portal}/api/projects/{project_id}/explorations")
    assert answer.ok, answer.text()
    return answer.json()["hits"]


def test_two_tables_combined_into_a_derived_dataset(page, portal, project, screenshot):
    log_in(page, portal, project["user"])
    page.goto(f"{portal}/projects/{project['id']}")
    page.locator(".cs4od-open-combine").click(timeout=20_000)
    form = page.locator(".cs4od-combine-form")
    save = form.get_by_role("button", name="Save")

    # The open form says what it is for.
    assert form.get_by_role("heading", name="Combine tables").is_visible()
    # One table is not enough: the form says so and does not let the owner save.
    pick_many(page, "cs4od-combine-tables", FIRST)
    page.fill("#cs4od-combine-title", TITLE)
    assert save.is_disabled()
    assert form.get_by_text("Choose at least one more table").is_visible()

    pick_many(page, "cs4od-combine-tables", SECOND)
    assert save.is_enabled()
    chosen = form.locator("#cs4od-combine-tables a.label").all_inner_texts()
    assert [c.strip() for c in chosen] == [FIRST, SECOND]
    screenshot("project-combine-form")
    save.click()

    combined = saved(page, TITLE, "succeeded")
    combined.wait_for(timeout=60_000)
    text = combined.inner_text()
    rows = sum(project["rows"])
    assert f"{rows:,} rows, 4 columns, published as a new dataset" in text
    # The column report: the 2019 table lacks the flag column that the 2020 one adds.
    assert f"{FIRST}: lacks flag" in text
    assert f"{SECOND}: adds flag" in text
    # The page's list of datasets was drawn before: the result says how to see it there.
    assert "It is now one of this project's datasets: reload the page" in text
    # The project's reana.yaml now redoes the concatenation too (the panel follows).
    page.wait_for_function(
        "() => document.querySelector('#cs4od-reana-yaml').value.includes("
        "'code/Weekly-deaths-in-the-Nordic-countries-2019-and-2020.py')",
        timeout=20_000,
    )
    screenshot("project-combine-result")

    # The combined table is a dataset of the project, derived from both sources.
    link = combined.get_by_role("link", name="a new dataset")
    derived = link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
    assert derived in project_datasets(portal, page, project["id"])
    combined.get_by_role("link", name="reload the page").click()
    page.wait_for_load_state("networkidle")
    assert TITLE in page.locator(".cs4od-linked-datasets").inner_text()
    combined = saved(page, TITLE, "succeeded")
    combined.wait_for(timeout=20_000)
    assert "reload the page" not in combined.inner_text()
    record = page.request.get(f"{portal}/api/records/{derived}")
    assert record.ok, record.text()
    related = record.json()["metadata"]["related_identifiers"]
    assert sorted(
        (r["relation_type"]["id"], r["identifier"]) for r in related
    ) == sorted(
        ("isderivedfrom", f"{portal}/records/{source}") for source in project["sources"]
    )
    [key] = record.json()["files"]["entries"]
    content = page.request.get(f"{portal}/api/records/{derived}/files/{key}/content")
    table = list(csv.reader(io.StringIO(content.text())))
    assert table[0] == ["week_start", "geo", "deaths", "flag"]
    assert len(table) - 1 == rows

    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/").endswith(f"/records/{derived}")
    assert page.get_by_role("heading", name=TITLE).first.is_visible()
    related = page.locator("dl", has_text="Is derived from").first
    links = related.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert sorted(links) == sorted(f"{portal}/records/{s}" for s in project["sources"])
    screenshot("project-combine-derived")


def test_tables_without_a_common_column_are_refused_with_the_reason(
    page, portal, project, screenshot
):
    log_in(page, portal, project["user"])
    page.goto(f"{portal}/projects/{project['id']}")
    before = project_datasets(portal, page, project["id"])
    earlier = results(portal, page, project["id"])
    page.locator(".cs4od-open-combine").click(timeout=20_000)
    form = page.locator(".cs4od-combine-form")
    pick_many(page, "cs4od-combine-tables", FIRST, WORLDPOPULATION_CSV.name)
    page.fill("#cs4od-combine-title", "Deaths and population shares")
    form.get_by_role("button", name="Save").click()

    failed = saved(page, "Deaths and population shares", "failed")
    failed.wait_for(timeout=60_000)
    text = failed.inner_text()
    assert "This concatenation could not be made" in text
    assert "These tables share no column, so their rows cannot be aligned" in text
    assert f"{FIRST} (csv): week_start, geo, deaths" in text
    screenshot("project-combine-refused")
    # The owner's choices are still in the form, to be corrected.
    page.locator(".cs4od-open-combine").click()
    chosen = form.locator("#cs4od-combine-tables a.label").all_inner_texts()
    assert [c.strip() for c in chosen] == [FIRST, WORLDPOPULATION_CSV.name]
    assert page.input_value("#cs4od-combine-title") == "Deaths and population shares"

    # Nothing is lost or added: the datasets stay, the earlier result too.
    assert project_datasets(portal, page, project["id"]) == before
    after = results(portal, page, project["id"])
    assert after[:-1] == earlier
    assert after[-1]["status"] == "failed" and "result" not in after[-1]
    page.reload()
    saved(page, "Deaths and population shares", "failed").wait_for(timeout=20_000)
    shown = page.locator(".cs4od-exploration h3").all_inner_texts()
    assert shown == [r["title"] for r in after]
