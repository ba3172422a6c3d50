"""The seed's "Make your analysis reproducible" in the browser: the owner of a project
with the worldpopulation notebook and its table validates the generated reana.yaml,
runs it on the local runner and sees outputs/plot.png."""

from pathlib import Path

import pytest

from helpers import log_in, publish_with_files

pytestmark = pytest.mark.e2e

DATA = Path(__file__).parent.parent / "data"
CSV = DATA / "World_historical_and_predicted_populations_in_percentage.csv"
NOTEBOOK = DATA / "reana" / "worldpopulation" / "code" / "worldpopulation.ipynb"


def _publish(identity, key, content, resource_type="dataset"):
    return publish_with_files(identity, {key: content}, key, resource_type=resource_type)


@pytest.fixture(scope="module")
def project(UserFixture, app, database, portal, location, resource_types_committed):
    from invenio_records_resources.proxies import current_service_registry

    user = UserFixture(email="hans@cs4od.test", password="hans-password-1")
    user.create(app, database)
    dataset = _publish(user.identity, CSV.name, CSV.read_bytes(), "dataset")
    notebook = _publish(user.identity, NOTEBOOK.name, NOTEBOOK.read_bytes(),
                        "software-computationalnotebook")
    projects = current_service_registry.get("projects")
    draft = projects.create(user.identity, {
        "access": {"record": "public"},
        "metadata": {"title": "How has the world's population shifted?",
                     "description": "<p>Shares of the world population by region.</p>",
                     "datasets": [{"id": dataset}], "notebooks": [{"id": notebook}]},
    })
    published = projects.publish(user.identity, draft.id)
    database.session.commit()
    return user, published.id


def test_validate_and_run_the_generated_workflow(page, portal, project, screenshot):
    user, project_id = project
    log_in(page, portal, user)
    page.goto(f"{portal}/projects/{project_id}")
    editor = page.locator("#cs4od-reana-yaml")
    editor.wait_for(timeout=20_000)
    text = editor.input_value()
    assert "papermill" in text and "outputs/plot.png" in text
    page.get_by_role("button", name="Validate").click()
    page.locator(".cs4od-spec-valid").wait_for(timeout=60_000)

    page.get_by_role("button", name="Run").click()
    plot = page.locator('.cs4od-run[data-state=finished] img[alt="outputs/plot.png"]')
    plot.wait_for(timeout=180_000)
    page.wait_for_function(
        "document.querySelector('.cs4od-run img').naturalWidth > 0", timeout=20_000)
    assert page.locator(".cs4od-reproducibility a", has_text="Download the bundle").count() == 1
    screenshot("project-reproducible-run")
