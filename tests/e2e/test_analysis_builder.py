"""The owner of a project builds analyses of a deposited table on the project page: a
group-by, a resampling over time and descriptive statistics, computed by the task queue
and shown as tables; one waiting for a worker says so until it is done; one that failed
says why, and can be removed."""

import csv
import io

import pytest
from previews_charts.chart_data import deaths_cells, week_start

from helpers import log_in, publish_with_files

pytestmark = pytest.mark.e2e

COUNTRIES = ("DK", "FI", "NO", "SE")
TABLE = "nordic_deaths.csv"


def _nordic_deaths():
    """The real Eurostat weekly deaths of four countries in 2019 and 2020, one row per
    country and week dated by its Monday; their sums per country and per year."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["week_start", "geo", "deaths"])
    by_country, by_year, weeks = {}, {}, {}
    for cell in deaths_cells():
        day = week_start(cell["time"])
        if (cell["sex"] != "T" or cell["geo"] not in COUNTRIES or day is None
                or day.year not in (2019, 2020) or cell["value"] is None):
            continue
        deaths = int(cell["value"])
        writer.writerow([day.isoformat(), cell["geo"], deaths])
        by_country[cell["geo"]] = by_country.get(cell["geo"], 0) + deaths
        by_year[str(day.year)] = by_year.get(str(day.year), 0) + deaths
        weeks[str(day.year)] = weeks.get(str(day.year), 0) + 1
    return out.getvalue().encode(), by_country, by_year, weeks


@pytest.fixture(scope="module")
def project(UserFixture, app, database, portal, location, resource_types_committed):
    from invenio_records_resources.proxies import current_service_registry

    user = UserFixture(email="ingrid@cs4od.test", password="ingrid-password-1")
    user.create(app, database)
    content, by_country, by_year, weeks = _nordic_deaths()
    dataset = publish_with_files(user.identity, {TABLE: content},
                                 "Weekly deaths in the Nordic countries")
    projects = current_service_registry.get("projects")
    draft = projects.create(user.identity, {
        "access": {"record": "public"},
        "metadata": {"title": "Mortality in the Nordic countries",
                     "description": "<p>Weekly deaths, 2019 and 2020.</p>",
                     "datasets": [{"id": dataset}]},
    })
    published = projects.publish(user.identity, draft.id)
    database.session.commit()
    return {"user": user, "id": published.id, "dataset": dataset,
            "by_country": by_country, "by_year": by_year, "weeks": weeks,
            "rows": sum(weeks.values())}


def pick(page, dropdown_id, text):
    """Open a Semantic UI selection dropdown and click the option with this text."""
    page.click(f"#{dropdown_id}")
    page.locator(f"#{dropdown_id} .menu .item", has_text=text).first.click()


def pick_many(page, dropdown_id, *texts):
    """Choose options of a multiple selection dropdown, then close it."""
    for text in texts:
        page.click(f"#{dropdown_id}")
        page.locator(f"#{dropdown_id} .menu .item", has_text=text).first.click()
    page.keyboard.press("Escape")


def succeeded(page, title):
    """The saved exploration of this title, once computed."""
    heading = page.get_by_role("heading", name=title, exact=True)
    return page.locator(".cs4od-exploration[data-status=succeeded]", has=heading)


def rows_of(box):
    """The cells of a result table, as the reader sees them."""
    return [row.locator("td").all_inner_texts() for row in box.locator("tbody tr").all()]


def test_group_by_and_resampling_built_in_the_browser(page, portal, project, screenshot):
    from invenio_db import db

    from cs4od_invenio.previews import explorations
    from cs4od_invenio.previews.models import Exploration

    # One saved earlier that the table cannot answer: its reason is shown.
    source = [{"record_id": project["dataset"], "key": TABLE}]
    explorations.create(project["user"].identity, project["id"], {
        "kind": "analysis", "title": "Deaths per period of deaths", "sources": source,
        "spec": {"kind": "resample", "time": "deaths", "to": "year",
                 "aggregations": [{"column": "deaths", "function": "sum"}]}})
    # One still waiting for a worker.
    waiting = Exploration(
        project_id=project["id"], kind="analysis", title="Weeks per year",
        sources=source, status="queued",
        spec={"kind": "resample", "time": "week_start", "to": "year",
              "aggregations": [{"column": "deaths", "function": "count"}]})
    db.session.add(waiting)
    db.session.commit()

    log_in(page, portal, project["user"])
    page.goto(f"{portal}/projects/{project['id']}")
    failed = page.locator(".cs4od-exploration[data-status=failed]")
    failed.wait_for(timeout=20_000)
    queued = page.locator(".cs4od-exploration[data-status=queued]")
    assert "Waiting for a worker" in queued.inner_text()
    # A worker takes it: the page, polling, shows the result.
    explorations.compute(waiting.id)
    done = succeeded(page, "Weeks per year")
    done.wait_for(timeout=20_000)
    assert [(row[0], int(row[1])) for row in rows_of(done)] == sorted(
        project["weeks"].items())
    assert "This analysis could not be made" in failed.inner_text()
    assert "Column 'deaths' holds no dates or week labels." in failed.inner_text()

    # A group-by: deaths summed per country.
    page.get_by_role("button", name="Analyse").click()
    form = page.locator(".cs4od-analysis-form")
    pick(page, "cs4od-analysis-table", TABLE)
    pick(page, "cs4od-analysis-kind", "Group and aggregate")
    pick_many(page, "cs4od-analysis-by", "geo")
    pick(page, "cs4od-analysis-function-0", "sum")
    pick(page, "cs4od-analysis-column-0", "deaths")
    form.get_by_role("button", name="Another aggregation").click()
    pick(page, "cs4od-analysis-function-1", "max")
    pick(page, "cs4od-analysis-column-1", "deaths")
    page.fill("#cs4od-analysis-title", "Deaths per country, 2019–2020")
    screenshot("project-analysis-form")
    form.get_by_role("button", name="Save").click()
    grouped = succeeded(page, "Deaths per country, 2019–2020")
    grouped.wait_for(timeout=60_000)
    headers = grouped.locator("thead th").all_inner_texts()
    assert headers == ["geo", "deaths_sum", "deaths_max"]
    table = rows_of(grouped)
    assert [(row[0], int(row[1])) for row in table] == sorted(
        project["by_country"].items())
    assert "sum of deaths, max of deaths by geo · 4 rows" in grouped.inner_text()
    code = grouped.get_by_role("link", name="Python code (pandas)")
    assert code.get_attribute("href").endswith("/code.py")
    # The reana.yaml generated from the project now runs it too (the panel follows).
    page.wait_for_function(
        "() => document.querySelector('#cs4od-reana-yaml')"
        ".value.includes('code/Deaths-per-country-2019-2020.py')", timeout=20_000)

    # A resampling: the weeks summed per year (dated by their Monday).
    page.get_by_role("button", name="Analyse").click()
    pick(page, "cs4od-analysis-table", TABLE)
    pick(page, "cs4od-analysis-kind", "Resample over time")
    pick(page, "cs4od-analysis-time", "week_start")
    pick(page, "cs4od-analysis-to", "year")
    pick(page, "cs4od-analysis-column-0", "deaths")
    page.fill("#cs4od-analysis-title", "Deaths per year")
    form.get_by_role("button", name="Save").click()
    yearly = succeeded(page, "Deaths per year")
    yearly.wait_for(timeout=60_000)
    assert yearly.locator("thead th").all_inner_texts() == ["period", "deaths_sum"]
    assert [(row[0], int(row[1])) for row in rows_of(yearly)] == sorted(
        project["by_year"].items())

    # Descriptive statistics of the weekly figures.
    page.get_by_role("button", name="Analyse").click()
    pick(page, "cs4od-analysis-kind", "Describe columns")
    pick_many(page, "cs4od-analysis-columns", "deaths")
    page.fill("#cs4od-analysis-title", "Weekly deaths, described")
    form.get_by_role("button", name="Save").click()
    described = succeeded(page, "Weekly deaths, described")
    described.wait_for(timeout=60_000)
    [row] = rows_of(described)
    weeks = sum(project["by_year"].values())
    assert row[:2] == ["deaths", str(project["rows"])]
    assert float(row[2]) == pytest.approx(weeks / project["rows"], abs=1e-6)
    screenshot("project-analysis")

    # The script behind the link is pandas code that redoes the analysis.
    answer = page.request.get(portal + code.get_attribute("href"))
    assert answer.ok and "groupby(['geo'])" in answer.text()

    # The owner removes the failed one; the others stay, also after a reload.
    failed.get_by_role("button", name="Remove").click()
    failed.wait_for(state="detached", timeout=20_000)
    page.reload()
    page.locator(".cs4od-exploration[data-kind=analysis]").first.wait_for(timeout=20_000)
    titles = page.locator(".cs4od-exploration h3").all_inner_texts()
    assert titles == ["Weeks per year", "Deaths per country, 2019–2020",
                      "Deaths per year", "Weekly deaths, described"]
