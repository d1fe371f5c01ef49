"""Browser fixtures: one real Streamlit server and one Debian chromium for the whole session;
a fresh context per test whose requests may reach only the app (see ogp_browser.Guard)."""

from __future__ import annotations

import pytest
from ogp_browser import VIEWPORT, Guard, Server, chromium_problem, launch


@pytest.fixture(scope="session")
def server():
    srv = Server().start()  # bundled data (OGP_DATA_DIR is dropped from its environment)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    problem = chromium_problem()
    if problem:
        pytest.fail(problem, pytrace=False)  # missing browser = not done, never skipped
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


class Session:
    """A browser context guarded to the app, and what it blocked."""

    def __init__(self, browser, server: Server, locale: str = "en-GB"):
        self.server = server
        self.context = browser.new_context(viewport=VIEWPORT, locale=locale, service_workers="block")
        self.context.set_default_timeout(30_000)
        self.guard = Guard(server.url).install(self.context)
        self.errors: list[str] = []

    def new_page(self):
        page = self.context.new_page()
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        return page

    def url(self, path: str) -> str:
        return self.server.url + path

    @property
    def blocked(self) -> list[str]:
        return self.guard.blocked

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser, server):
    s = Session(browser, server)
    yield s
    s.close()


@pytest.fixture
def new_session(browser, server):
    """Factory for extra, independent sessions (a fresh browser profile: no shared state)."""
    made: list[Session] = []

    def make(locale: str = "en-GB") -> Session:
        made.append(Session(browser, server, locale))
        return made[-1]

    yield make
    for s in made:
        s.close()
