"""Browser tests: the test application served on loopback, driven by headless Chromium."""

import os
from pathlib import Path

import pytest
from loopback import portal, portal_port, served_links  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CS4OD_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("CS4OD_SCREENSHOTS", ROOT / ".build" / "screenshots"))
# Chromium on a closed network: no background connections, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def app_config(app_config, portal_port):
    """Links and the browser's API calls must point at the served port."""
    return served_links(app_config, portal_port)


@pytest.fixture(scope="module")
def chromium():
    """Headless Debian Chromium under Playwright (pytest-invenio's `browser` is Selenium's)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/cs4od install")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture()
def new_page(chromium):
    """Pages of desktop size, each in a browser context of its own (own cookies: one
    person each; logging out and in again on one page races with the page's requests)."""
    contexts = []

    def open_page():
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture()
def page(new_page):
    """A fresh browser page of desktop size."""
    return new_page()


@pytest.fixture()
def screenshot(page):
    """Save a full-page screenshot under .build/screenshots/<name>.png (of `page` unless
    another page is given)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name, of=None):
        path = SCREENSHOTS / f"{name}.png"
        (of or page).screenshot(path=str(path), full_page=True)
        return path

    return take
