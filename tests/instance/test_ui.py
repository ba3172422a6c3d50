"""The web pages render with this instance's branding and the built assets."""

import json
import sys
from pathlib import Path

MANIFEST = Path(sys.prefix) / "var" / "instance" / "static" / "dist" / "manifest.json"


def test_assets_were_built_with_the_cs4od_theme():
    manifest = json.loads(MANIFEST.read_text())
    assert manifest["status"] == "done"
    theme = manifest["chunks"]["cs4od-site-theme"]
    assert any(path.startswith("css/cs4od-site-theme.") for path in theme)
    assert "invenio-app-rdm-frontpage" in manifest["chunks"]


def test_front_page(client, app):
    response = client.get("/")
    assert response.status_code == 200
    page = response.data.decode()
    assert "Science for Open Data" in page
    assert "Open data, gathered into projects" in page
    assert "Gather open datasets and notebooks into projects" in page
    assert "/static/dist/" in page  # webpack bundles linked from the built manifest
    # The footer is CS4OD's, not InvenioRDM's product links.
    assert "About InvenioRDM" not in page
    assert 'href="/oai2d?verb=Identify">OAI-PMH</a>' in page


def test_about_page(client, app):
    response = client.get("/about")
    assert response.status_code == 200
    assert "About CS4OD" in response.data.decode()


def test_record_landing_page(client, published_dataset):
    response = client.get(f"/records/{published_dataset['id']}")
    assert response.status_code == 200
    page = response.data.decode()
    assert "World population shares" in page
    assert "Lovelace, Ada" in page
    assert "World_historical_and_predicted_populations_in_percentage.csv" in page
