"""A visitor previews a notebook: its text shows, none of its scripts run; a broken
notebook says what is wrong instead of breaking the page."""

import io

import nbformat
import pytest
from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import current_rdm_records_service

pytestmark = pytest.mark.e2e


def _notebook():
    """A notebook whose Markdown and outputs try to run script in the viewer."""
    v4 = nbformat.v4
    notebook = v4.new_notebook()
    notebook.cells = [
        v4.new_markdown_cell(
            "# Weekly deaths\n<script>window.cs4odPwned = 'markdown';</script>"),
        v4.new_code_cell(
            "deaths.groupby('week').sum()",
            outputs=[
                v4.new_output("display_data", data={
                    "text/html": "<b>52 weeks</b><img src=x onerror=\"window.cs4odPwned='html'\">",
                    "text/plain": "52 weeks",
                }),
                v4.new_output("display_data", data={
                    "application/javascript": "window.cs4odPwned = 'javascript';",
                }),
            ],
        ),
    ]
    return nbformat.writes(notebook).encode()


def _publish(files):
    """A public computational notebook record with the given files."""
    service = current_rdm_records_service
    draft = service.create(system_identity, {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": True},
        "metadata": {
            "resource_type": {"id": "software-computationalnotebook"},
            "title": "Weekly deaths notebook",
            "publication_date": "2026-11-25",
            "creators": [{"person_or_org": {"type": "personal", "given_name": "Ada",
                                            "family_name": "Lovelace"}}],
        },
    })
    service.draft_files.init_files(system_identity, draft.id, [{"key": k} for k in files])
    for key, content in files.items():
        service.draft_files.set_file_content(system_identity, draft.id, key, io.BytesIO(content))
        service.draft_files.commit_file(system_identity, draft.id, key)
    return service.publish(system_identity, draft.id)


@pytest.fixture(scope="module")
def notebook_record(portal, database, location, resource_types_committed):
    record = _publish({"analysis.ipynb": _notebook(), "broken.ipynb": b'{"cells": [}'})
    database.session.commit()
    return record


def test_notebook_preview_is_sanitised(page, portal, notebook_record, screenshot):
    response = page.goto(f"{portal}/records/{notebook_record.id}/preview/analysis.ipynb")
    assert response.status == 200
    page.get_by_text("deaths.groupby('week').sum()").wait_for(timeout=20_000)
    assert page.locator("h1", has_text="Weekly deaths").count() == 1
    assert page.get_by_text("52 weeks").count() >= 1
    page.wait_for_timeout(500)
    assert page.evaluate("window.cs4odPwned") is None
    assert page.locator("script", has_text="cs4odPwned").count() == 0
    assert page.locator("img[onerror]").count() == 0
    screenshot("notebook-preview")


def test_broken_notebook_says_why(page, portal, notebook_record, screenshot):
    response = page.goto(f"{portal}/records/{notebook_record.id}/preview/broken.ipynb")
    assert response.status == 200
    message = page.locator(".cs4od-notebook-error")
    message.wait_for(timeout=20_000)
    assert "The file is not valid JSON (Expecting value at line 1, column 12)" in (
        message.inner_text())
    screenshot("notebook-preview-broken")

    # The record page itself still renders, with the notebook in its preview.
    page.goto(f"{portal}/records/{notebook_record.id}")
    assert page.locator("h1").first.inner_text() == "Weekly deaths notebook"
