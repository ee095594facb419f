"""Browser fixtures: Debian's Chromium driven by Playwright (one browser per session) against the app
served by a real HTTP server on 127.0.0.1, on the test database, with CSRF protection on."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from delegations.extensions import db

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(csrf_app):
    """The app on a free port of 127.0.0.1, served from a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, csrf_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    db.session.remove()


@pytest.fixture
def context(browser):
    """A fresh browser profile at desktop width; CSP bypassed only so that axe-core can be injected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status == 404 or response.status >= 500 else None)
    yield page
    assert errors == [], f"JavaScript errors in the browser: {errors}"


class Accessibility:
    """Runs axe-core on the page shown and collects violations with their page."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []
        self.violations: list[str] = []

    def check(self, page, label: str = "") -> None:
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                              "resultTypes": ["violations"]})
        where = f"{label or page.url}"
        self.checked.append(where)
        for violation in results.response["violations"]:
            targets = "; ".join(", ".join(node["target"]) + " " + node["html"][:160]
                                for node in violation["nodes"][:5])
            self.violations.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")

    def assert_clean(self) -> None:
        assert self.checked, "no page was checked"
        assert not self.violations, "Accessibility violations:\n" + "\n".join(self.violations)


@pytest.fixture
def axe():
    return Accessibility()
