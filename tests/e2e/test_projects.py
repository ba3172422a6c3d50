"""A researcher creates a project in the browser, finds it, submits it to a community;
the community's curator accepts it. Everything goes through the served portal."""

import re

import pytest
from invenio_communities.proxies import current_communities


from helpers import log_in

pytestmark = pytest.mark.e2e

# Contrast ratio (WCAG) of each element's text colour on its background colour.
CONTRAST = """els => els.map(el => {
  const style = getComputedStyle(el);
  const lum = (css) => {
    const [r, g, b] = css.match(/[0-9.]+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
})"""

TITLE = "Heat waves and hospital admissions"


@pytest.fixture(scope="module")
def app_config(app_config, zenodo):
    app_config["CS4OD_ZENODO_URL"] = zenodo.url
    return app_config


@pytest.fixture(scope="module")
def people(UserFixture, app, database, portal):
    """A researcher and a curator with committed accounts."""
    researcher = UserFixture(email="ada@cs4od.test", password="ada-password-1")
    researcher.create(app, database)
    curator = UserFixture(email="grace@cs4od.test", password="grace-password-1")
    curator.create(app, database)
    database.session.commit()
    # Request timelines show people from the users index (a Celery task in the portal).
    from invenio_users_resources.proxies import current_users_service
    from invenio_users_resources.records.api import UserAggregate

    for user in (researcher, curator):
        current_users_service.indexer.index(UserAggregate.get_record(user.id))
    current_users_service.indexer.refresh()
    return researcher, curator


@pytest.fixture(scope="module")
def content(app, database, people, location, resource_types_committed):
    """Vocabularies, a dataset to link, and the curator's community."""
    from cs4od_invenio.vocabularies import load_vocabularies
    from cs4od_site.demo import WORLD_POPULATION, create_dataset
    from invenio_rdm_records.proxies import current_rdm_records_service

    load_vocabularies()
    dataset = create_dataset(WORLD_POPULATION)
    current_rdm_records_service.indexer.refresh()
    _, curator = people
    community = current_communities.service.create(curator.identity, {
        "slug": "climate-health",
        "access": {"visibility": "public", "record_submission_policy": "open"},
        "metadata": {"title": "Climate and health"},
    })
    current_communities.service.indexer.refresh()
    database.session.commit()
    return dataset, community


def refresh():
    """Make what the served app indexed visible to search now."""
    from invenio_search.proxies import current_search

    current_search.flush_and_refresh("projects")
    current_search.flush_and_refresh("requests")


def pick(page, dropdown_id, text):
    """Open a Semantic UI selection dropdown and click the option with this text."""
    page.click(f"#{dropdown_id}")
    page.locator(f"#{dropdown_id} .menu .item", has_text=text).first.click()


def choose(page, dropdown_id, text, option=None):
    """Type into a Semantic UI search dropdown and pick the option shown."""
    page.click(f"#{dropdown_id}")
    page.keyboard.type(text)
    item = page.locator(f"#{dropdown_id} .menu .item", has_text=option or text).first
    item.wait_for(timeout=10_000)
    item.click()
    page.keyboard.press("Escape")


def add(page, dropdown_id, value):
    """Add a free value (tags, Zenodo communities) to a dropdown that allows additions."""
    page.click(f"#{dropdown_id}")
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def test_create_search_submit_accept(page, new_page, portal, people, content, screenshot):
    researcher, curator = people
    dataset, community = content
    log_in(page, portal, researcher)

    # The form: publishing an empty project shows the API's messages next to the fields.
    page.goto(portal + "/projects/new")
    page.locator("#project-title").wait_for(timeout=20_000)
    page.get_by_role("button", name="Publish").click()
    title_error = page.locator(".field:has(#project-title) .cs4od-field-error")
    title_error.wait_for(timeout=10_000)
    assert "Missing data for required field" in title_error.inner_text()
    assert page.locator(".field:has(#project-description) .cs4od-field-error").count() == 1
    assert "need your attention" in page.locator(".cs4od-form-notice").inner_text()
    assert re.search(r"/projects/\w{5}-\w{5}/edit$", page.url), "the draft was kept"
    screenshot("project-form-errors")

    page.fill("#project-title", TITLE)
    assert title_error.count() == 0  # answered: its message goes
    page.fill("#project-description",
              "How do heat waves change hospital admissions?\n\nWe link weather and health data.")
    add(page, "project-tags", "heat")
    add(page, "project-tags", "hospitals")
    choose(page, "project-domains", "3.3", option="3.3 Health sciences")
    choose(page, "project-sdgs", "Climate action")
    choose(page, "project-sdgs", "Good health")
    add(page, "project-zenodo-communities", "covid-19")
    page.get_by_role("button", name="Add an author").click()
    page.fill("#creator-0-family", "Lovelace")
    page.fill("#creator-0-given", "Ada")
    page.fill("#creator-0-orcid", "0000-0002-1825-0097")
    page.fill("#creator-0-affiliation", "University of London")
    choose(page, "project-datasets", "population", option=dataset["metadata"]["title"])
    screenshot("project-form")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r".*/projects/\w{5}-\w{5}$"), timeout=20_000)
    project_id = page.url.rsplit("/", 1)[1]

    # The landing page.
    assert page.locator("h1").first.inner_text() == TITLE
    badges = page.locator(".cs4od-sdgs .cs4od-sdg").all_inner_texts()
    assert [b.strip() for b in badges] == [
        "SDG 13 · Climate action", "SDG 3 · Good health and well-being"]
    # The badges' text is readable on the UN colours (WCAG AA: contrast >= 4.5).
    contrasts = page.locator(".cs4od-sdgs .cs4od-sdg").evaluate_all(CONTRAST)
    assert min(contrasts) >= 4.5, contrasts
    assert "3.3 Health sciences" in page.locator(".cs4od-domains").inner_text()
    creators = page.locator(".cs4od-creators").inner_text()
    assert "Lovelace, Ada" in creators and "University of London" in creators
    linked = page.locator(".cs4od-linked-datasets a.header")
    assert linked.inner_text() == dataset["metadata"]["title"]
    # Type and date are separate words (also for screen readers).
    meta = page.locator(".cs4od-linked-datasets .meta").first.inner_text()
    assert re.search(r"Dataset \d{4}-\d{2}-\d{2}", meta), meta
    assert "We link weather and health data." in page.locator(".cs4od-description").inner_text()
    screenshot("project-landing")

    # Search finds it, with facets (once the index has refreshed, as within a second).
    refresh()
    page.goto(portal + "/projects?q=heat")
    result = page.get_by_role("link", name=TITLE)
    result.wait_for(timeout=20_000)
    assert page.locator(".cs4od-project-result").count() == 1
    # The search box says what it searches, and keeps the query.
    assert page.get_by_role("textbox", name="Search projects…").input_value() == "heat"
    contrasts = page.locator(".cs4od-project-result .cs4od-sdg").evaluate_all(CONTRAST)
    assert len(contrasts) == 2 and min(contrasts) >= 4.5, contrasts
    screenshot("project-search")
    sdg_facet = page.locator(".facet-container:visible", has_text="Sustainable Development Goals")
    assert "Climate action" in sdg_facet.first.inner_text()
    # Choosing a facet value filters the results.
    page.goto(portal + "/projects?q=heat&f=sdgs:sdg1")
    page.locator(".cs4od-empty-results").wait_for(timeout=20_000)

    # "My projects" lists it.
    page.goto(portal + "/me/projects")
    page.get_by_role("link", name=TITLE).wait_for(timeout=20_000)

    # Submitted to the community, with a message to the curators.
    page.goto(f"{portal}/projects/{project_id}")
    choose(page, "cs4od-community-choice", "Climate", option="Climate and health")
    page.fill("#cs4od-community-comment", "Our data come from open weather services.")
    page.get_by_role("button", name="Submit for review").click()
    pending = page.locator(".cs4od-request[data-status=submitted]")
    pending.wait_for(timeout=20_000)
    assert "Climate and health" in pending.inner_text()
    assert "Awaiting review" in pending.inner_text()
    screenshot("project-submitted")

    # The curator, in a browser of her own, finds the request in the community and accepts it.
    page = new_page()
    log_in(page, portal, curator)
    page.goto(f"{portal}/communities/climate-health/requests")
    request_link = page.get_by_role("link", name=re.compile(TITLE))
    request_link.first.wait_for(timeout=20_000)
    request_link.first.click()
    page.wait_for_url(re.compile(r".*/communities/climate-health/requests/[0-9a-f-]+$"))
    assert TITLE in page.locator(".cs4od-request-project").inner_text()
    assert page.locator(".label", has_text="Project inclusion").count() >= 1
    page.get_by_text("Our data come from open weather services.").wait_for(timeout=20_000)
    page.locator("#request-actions").get_by_role("button", name="Accept").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Accept").click()
    page.get_by_text("Accepted").first.wait_for(timeout=20_000)
    page.wait_for_load_state("networkidle")  # the page reloads after the decision
    page.get_by_text("accepted this request").wait_for(timeout=20_000)
    assert page.get_by_text("Deleted user").count() == 0  # people are named
    screenshot("project-request-accepted", of=page)
    refresh()

    # The community lists the project; to anyone, its page shows the community.
    page.goto(f"{portal}/communities/climate-health/projects")
    page.get_by_role("link", name=TITLE).wait_for(timeout=20_000)
    screenshot("community-projects", of=page)
    visitor = new_page()
    visitor.goto(f"{portal}/projects/{project_id}")
    assert "Climate and health" in visitor.locator(".cs4od-communities").inner_text()
    assert visitor.locator("#cs4od-community-submit").count() == 0
    assert community.id


def test_add_dataset_notebook_and_zenodo_record_to_the_project(
        page, portal, people, content, database, tmp_path, screenshot):
    """The owner deposits a table and a notebook from the project page and imports a
    Zenodo record; all three are linked."""
    import nbformat
    from invenio_records_resources.proxies import current_service_registry

    researcher, _ = people
    projects = current_service_registry.get("projects")
    draft = projects.create(researcher.identity, {
        "access": {"record": "public"},
        "metadata": {"title": "Weekly deaths in Europe", "description": "<p>Excess deaths.</p>"},
    })
    project = projects.publish(researcher.identity, draft.id)
    database.session.commit()
    table = tmp_path / "deaths.csv"
    table.write_text("week,deaths,note\n2020-W01,1000,<b>bold</b>\n2020-W02,1100,=1+2\n")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import pandas as pd")]
    notebook_file = tmp_path / "excess.ipynb"
    notebook_file.write_text(nbformat.writes(notebook))

    log_in(page, portal, researcher)
    page.goto(f"{portal}/projects/{project.id}")
    page.get_by_role("button", name="Add a dataset").click()
    dialog = page.locator(".cs4od-add-dataset")
    dialog.locator("#cs4od-deposit-title").fill("Weekly deaths, 2020")
    dialog.locator("#cs4od-deposit-description").fill("Deaths per week.")
    dialog.locator("#creator-0-family").fill("Lovelace")
    dialog.locator("#creator-0-given").fill("Ada")
    dialog.locator("#creator-0-orcid").fill("0000-0002-1825-0096")  # bad checksum
    dialog.locator("#cs4od-deposit-files").set_input_files(str(table))
    dialog.get_by_text("deaths.csv").wait_for(timeout=10_000)
    dialog.get_by_role("button", name="Publish and add to the project").click()
    orcid_error = dialog.locator(".field:has(#creator-0-orcid) .cs4od-field-error")
    orcid_error.wait_for(timeout=20_000)
    assert "ORCID" in orcid_error.inner_text()
    screenshot("project-add-dataset-error")
    dialog.locator("#creator-0-orcid").fill("0000-0002-1825-0097")
    dialog.get_by_role("button", name="Publish and add to the project").click()
    page.locator(".cs4od-linked-datasets a.header", has_text="Weekly deaths, 2020").wait_for(
        timeout=30_000)

    page.get_by_role("button", name="Add a notebook").click()
    dialog = page.locator(".cs4od-add-notebook")
    dialog.locator("#cs4od-deposit-title").fill("Excess deaths, computed")
    dialog.locator("#cs4od-deposit-description").fill("The notebook.")
    dialog.get_by_text("Organisation").click()
    dialog.locator("#creator-0-name").fill("CS4OD team")
    dialog.locator("#cs4od-deposit-files").set_input_files(str(notebook_file))
    dialog.get_by_role("button", name="Publish and add to the project").click()
    linked = page.locator(".cs4od-linked-notebooks a.header", has_text="Excess deaths, computed")
    linked.wait_for(timeout=30_000)
    assert page.locator(".cs4od-linked-datasets a.header").count() == 1
    assert "Computational notebook" in page.locator(".cs4od-linked-notebooks").inner_text()
    page.get_by_role("button", name="Add a notebook").wait_for()  # the page's scripts ran
    screenshot("project-with-dataset-and-notebook")

    page.get_by_role("button", name="Import from Zenodo").click()
    dialog = page.locator(".cs4od-zenodo-import")
    dialog.locator("#cs4od-zenodo-reference").fill("10.1000/182")
    dialog.get_by_role("button", name="Import").click()
    error = dialog.locator(".field:has(#cs4od-zenodo-reference) .cs4od-field-error")
    error.wait_for(timeout=20_000)
    assert "is not a Zenodo DOI" in error.inner_text()
    dialog.locator("#cs4od-zenodo-reference").fill("https://zenodo.org/records/4924875")
    dialog.get_by_role("button", name="Import").click()
    dialog.locator(".cs4od-import-progress[data-status=succeeded]").wait_for(timeout=60_000)
    screenshot("project-zenodo-import-done")
    imported = page.locator(".cs4od-linked-datasets a.header",
                            has_text="Test data for the Pooch library")
    imported.wait_for(timeout=30_000)
    assert page.locator(".cs4od-linked-datasets a.header").count() == 2
    assert page.locator(".cs4od-linked-notebooks a.header").count() == 1
    page.get_by_role("button", name="Import from Zenodo").wait_for()
    screenshot("project-with-three-records")

    # The deposited table has a preview (made when it was published); cells are text.
    box = page.locator(".cs4od-linked-datasets .item", has_text="Weekly deaths, 2020")
    toggle = box.get_by_role("button", name=re.compile("Preview of deaths.csv"))
    toggle.wait_for(timeout=20_000)
    assert "(2 rows)" in toggle.inner_text()
    toggle.click()
    table = box.locator("table.cs4od-preview-table")
    table.wait_for()
    assert table.locator("thead th").all_inner_texts()[1].startswith("deaths")
    assert "1,000 – 1,100" in table.locator("thead th").nth(1).inner_text()
    assert table.locator("tbody tr").count() == 2
    assert table.locator("tbody td", has_text="<b>bold</b>").count() == 1
    assert table.locator("b").count() == 0  # shown as text, not markup
    warning = box.locator(".cs4od-preview-warning").inner_text()
    assert "spreadsheet would run as formulas" in warning and "note" in warning
    screenshot("project-table-preview")

    # A chart from that table, drawn on the server and saved on the project.
    page.get_by_role("button", name="New chart").click()
    pick(page, "cs4od-chart-table", "deaths.csv")
    pick(page, "cs4od-chart-type", "bar")
    pick(page, "cs4od-chart-x", "week")
    pick(page, "cs4od-chart-y", "deaths")
    pick(page, "cs4od-chart-aggregation", "sum")
    page.fill("#cs4od-chart-title", "Deaths per week, 2020")
    page.locator(".cs4od-chart-form").get_by_role("button", name="Save").click()
    chart = page.locator(".cs4od-exploration[data-status=succeeded] img.cs4od-chart")
    chart.wait_for(timeout=60_000)
    assert chart.get_attribute("alt") == "Deaths per week, 2020"
    page.wait_for_function("document.querySelector('img.cs4od-chart').naturalWidth > 0")
    screenshot("project-chart")
    # The chart opens full size (its SVG) in a tab of its own.
    full = page.locator(".cs4od-exploration[data-status=succeeded] a:has(img.cs4od-chart)")
    assert full.get_attribute("target") == "_blank"
    assert page.request.get(portal + full.get_attribute("href")).headers[
        "content-type"].startswith("image/svg+xml")

    linked.click()
    page.wait_for_url(re.compile(r".*/records/\w{5}-\w{5}$"))
    assert page.locator("h1").first.inner_text() == "Excess deaths, computed"
    assert page.get_by_text("Computational notebook").count() >= 1


def test_unpublished_changes_can_be_discarded(page, portal, people, content, database):
    """Opening "Edit" makes a draft; "Discard changes" drops it, the published project stays."""
    from invenio_records_resources.proxies import current_service_registry

    from helpers import project_data

    researcher, _ = people
    projects = current_service_registry.get("projects")
    draft = projects.create(researcher.identity, project_data(title="Heat and hospital visits"))
    project_id = projects.publish(researcher.identity, draft.id).id
    database.session.commit()

    log_in(page, portal, researcher)
    page.goto(f"{portal}/projects/{project_id}/edit")
    page.fill("#project-title", "Heat and hospital visits, a second look")
    page.get_by_role("button", name="Save draft").click()
    page.locator(".cs4od-form-notice", has_text="Draft saved").wait_for(timeout=20_000)
    page.goto(f"{portal}/projects/{project_id}")
    assert "You have unpublished changes" in page.locator("main, body").first.inner_text()

    page.goto(f"{portal}/projects/{project_id}/edit")
    assert page.input_value("#project-title") == "Heat and hospital visits, a second look"
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Discard changes").click()
    page.wait_for_url(f"{portal}/projects/{project_id}", timeout=20_000)
    assert "stays as it was published" in questions[0]
    assert page.locator("h1").first.inner_text() == "Heat and hospital visits"
    assert "You have unpublished changes" not in page.locator("body").inner_text()
    assert page.request.get(f"{portal}/api/projects/{project_id}/draft").status == 404
