"""Browser fixtures: the app on a real port, driven by Debian's Chromium through Playwright.

Isolation: one live server and one Chromium per test run (session); every test gets a
fresh browser context (no cookies, storage or cache shared with any other test) and a
page in it. The live server serves the session `app`, so the root `_isolate` fixture
resets the database and Redis after each browser test, once its context is closed.

No Chromium: the tests are skipped with a notice in the summary, except when CI=true,
where they fail, so CI can never pass without them.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_REASON = "chromium not installed: browser tests skipped"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/browser carries the `browser` marker (-m "not browser")."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


def pytest_unconfigure(config: pytest.Config) -> None:
    """A skipped browser run says so loudly: the last line of the output (xdist too)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or getattr(config, "workerinput", None) is not None:
        return
    skipped = reporter.stats.get("skipped", [])
    if any(MISSING_REASON in str(getattr(report, "longrepr", "")) for report in skipped):
        reporter.write_sep("!", f"WARNING: {MISSING_REASON}", yellow=True, bold=True)


def _find_chromium() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _missing(why: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why} and CI=true: browser tests must run in CI", pytrace=False)
    pytest.skip(MISSING_REASON)


@dataclass(frozen=True)
class LiveServer:
    """The app on 127.0.0.1:port; sites are reached by host name, as in production."""

    port: int

    def url(self, slug: str | None = None, path: str = "/") -> str:
        """The central site (slug None) or a force's site, e.g. http://kent.localhost:PORT/."""
        host = f"{slug}.localhost" if slug else "localhost"
        return f"http://{host}:{self.port}{path}"


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The session app served by a threaded werkzeug server for the whole run.

    Shares the app's database and Redis, so per-test state is reset by `_isolate`.
    """
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(server.server_port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    """Playwright's driver for the run (skips or, under CI, fails without Chromium)."""
    if _find_chromium() is None:
        _missing("chromium not found at /usr/bin/chromium or on PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the run; tests share it but never a context."""
    chromium = playwright_session.chromium.launch(
        executable_path=_find_chromium(), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@dataclass
class PageErrors:
    """Console errors and uncaught exceptions seen by a page (CSP violations included)."""

    messages: list[str] = field(default_factory=list)

    def record(self, kind: str) -> Callable[[Any], None]:
        def add(event: Any) -> None:
            if kind == "pageerror":
                self.messages.append(f"pageerror: {event}")
            elif event.type == "error":
                self.messages.append(f"console.error: {event.text} @ {event.location}")

        return add


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A fresh browser context per test: no cookies, storage or cache from other tests.

    British English, so a force with Welsh on starts in English until asked.
    """
    ctx = browser.new_context(locale="en-GB", extra_http_headers={"Accept-Language": "en-GB"})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page_errors() -> PageErrors:
    """The current test's page errors (empty at the start of every test)."""
    return PageErrors()


@pytest.fixture
def page(context: BrowserContext, page_errors: PageErrors) -> Page:
    """A page in the test's own context, its console errors recorded in `page_errors`."""
    new = context.new_page()
    new.on("console", page_errors.record("console"))
    new.on("pageerror", page_errors.record("pageerror"))
    return new
