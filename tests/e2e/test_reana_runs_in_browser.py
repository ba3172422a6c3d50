"""Runs on a REANA server from the project page: the owner sets a personal REANA access
token (masked, then only "set on <date>"), runs the project on REANA (the stand-in,
driven by the real reana-client) and sees REANA's state, log and plot; then removes the
token and switches the generated reana.yaml to CWL."""

import re
from pathlib import Path

import pytest
from helpers import log_in, publish_with_files
from standins.reana_server import ReanaStandIn

pytestmark = pytest.mark.e2e

DATA = Path(__file__).parent.parent / "data"
CSV = DATA / "World_historical_and_predicted_populations_in_percentage.csv"
NOTEBOOK = DATA / "reana" / "worldpopulation" / "code" / "worldpopulation.ipynb"
REANA_TOKEN = "reana-Browser-Token-9d2e"


@pytest.fixture(scope="module")
def reana(tmp_path_factory):
    """The REANA stand-in; every answer it sent must match REANA's OpenAPI spec."""
    with ReanaStandIn(token=REANA_TOKEN, root=tmp_path_factory.mktemp("reana"),
                      delay=0.1) as server:
        yield server
    assert server.violations == []


@pytest.fixture(scope="module")
def app_config(app_config, reana):
    """The portal with the stand-in as its REANA server."""
    app_config.update(CS4OD_REANA_SERVER_URL=reana.url, CS4OD_REANA_POLL_INTERVAL=0.3)
    return app_config


@pytest.fixture(scope="module")
def project(UserFixture, app, database, portal, location, resource_types_committed):
    from invenio_records_resources.proxies import current_service_registry

    user = UserFixture(email="rita@cs4od.test", password="rita-password-1")
    user.create(app, database)

    def publish(key, content, kind):
        return publish_with_files(user.identity, {key: content}, key, resource_type=kind)

    dataset = publish(CSV.name, CSV.read_bytes(), "dataset")
    notebook = publish(NOTEBOOK.name, NOTEBOOK.read_bytes(),
                       "software-computationalnotebook")
    projects = current_service_registry.get("projects")
    draft = projects.create(user.identity, {
        "access": {"record": "public"},
        "metadata": {"title": "World population on REANA",
                     "description": "<p>Shares of the world population by region.</p>",
                     "datasets": [{"id": dataset}], "notebooks": [{"id": notebook}]},
    })
    published = projects.publish(user.identity, draft.id)
    database.session.commit()
    return user, published.id


def test_set_a_token_and_run_on_reana(page, portal, project, reana, screenshot):
    user, project_id = project
    log_in(page, portal, user)
    page.goto(f"{portal}/projects/{project_id}")
    field = page.locator("#cs4od-reana-token-input")
    field.wait_for(timeout=20_000)
    assert field.get_attribute("type") == "password"
    assert page.get_by_label("Run on REANA").is_checked()
    run_button = page.get_by_role("button", name="Run on REANA")
    assert run_button.is_disabled()  # no token yet
    assert page.locator("#cs4od-workflow-type option").all_inner_texts() == [
        "Serial: notebooks with papermill", "CWL: one tool per step"]

    field.fill(REANA_TOKEN)
    page.get_by_role("button", name="Save token").click()
    status = page.locator(".cs4od-reana-token-status")
    status.wait_for(timeout=20_000)
    # A date and time nobody misreads: "Set on 26 Nov 2026, 14:04".
    assert re.search(r"Set on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", status.inner_text())
    assert field.input_value() == ""
    assert REANA_TOKEN not in page.content()
    screenshot("reana-token-set")

    run_button.click()
    plot = page.locator('.cs4od-run[data-state=finished] img[alt="outputs/plot.png"]')
    plot.wait_for(timeout=180_000)
    page.wait_for_function(
        "document.querySelector('.cs4od-run img').naturalWidth > 0", timeout=20_000)
    assert page.locator(".cs4od-run-runner").first.inner_text().endswith(
        f"REANA (cs4od-{project_id}.1)")
    page.locator(".cs4od-run-details summary").first.click()
    assert "[cs4od] step worldpopulation" in page.locator(".cs4od-run-log").first.inner_text()
    assert reana.find(f"cs4od-{project_id}").status == "finished"
    screenshot("reana-run-finished")

    page.get_by_role("button", name="Remove").click()
    status.wait_for(state="detached", timeout=20_000)
    assert run_button.is_disabled()

    # The generated reana.yaml as a CWL workflow, kept with the project.
    page.select_option("#cs4od-workflow-type", "cwl")
    page.wait_for_function(
        "document.querySelector('#cs4od-reana-yaml').value.includes('type: cwl')",
        timeout=20_000)
    page.reload()
    page.locator("#cs4od-reana-yaml").wait_for(timeout=20_000)
    assert page.locator("#cs4od-workflow-type").input_value() == "cwl"
    assert "workflow/cwl/workflow.cwl" in page.locator("#cs4od-reana-yaml").input_value()
