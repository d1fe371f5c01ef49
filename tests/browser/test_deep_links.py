"""A shared link opened as the first visit to a freshly started server (every restart, every new
replica) opens its own page, with its filters. The complaint: "the link I sent to the minister
opened the front page". Each case starts its own bare server (`streamlit run dashboard.py`, no
proxy, no first visit made for it): the bugs lived in a server's first session (a `pages/` folder
put Streamlit in its old file-based mode: the overview, later the right page under a "Page not
found" dialog) and in every deep link's first requests (two 404s, defect 12). ogp/app/host.py says
how the dashboard's `st.App` prevents both."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from ogp_browser import Guard, Server, wait_idle

from ogp.model.themes import theme_by_slug

pytestmark = pytest.mark.browser


def theme_title(slug: str) -> str:
    return theme_by_slug(slug).short


LINKS = [  # a theme page (no file behind it) and a page of pages/ with a parameter
    ("/anti-corruption", lambda: theme_title("anti-corruption"), {}),
    ("/members?member=GBR", lambda: "United Kingdom", {"member": "GBR"}),
]
SLOW_LINKS = [
    ("/open-budgets?region=Europe", lambda: theme_title("open-budgets"), {"region": "Europe"}),
    ("/progress", lambda: "Progress", {}),
    ("/map", lambda: "Map of OGP members", {}),
    ("/commitments?q=lobbying", lambda: "Commitments", {"q": "lobbying"}),
    ("/present?slide=4", lambda: theme_title("inclusion"), {"slide": "4"}),
]


def open_first(browser, path: str) -> dict:
    """Start a server, open `path` as its very first visit; the page's h1, its URL, the
    app's own requests that failed (4xx/5xx), its health probes, the sidebar's page menu and
    the text of any dialog over the page."""
    srv = Server().start()
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    failed: list[str] = []
    probes: list[str] = []
    try:
        Guard(srv.url).install(context)
        page = context.new_page()
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("request", lambda r: probes.append(r.url) if "/_stcore/health" in r.url else None)
        page.goto(srv.url + path, wait_until="domcontentloaded")
        wait_idle(page)
        menu = page.locator('[data-testid="stSidebarNav"]')
        dialogs = page.locator('[role="dialog"]')
        return {
            "h1": page.locator('[data-testid="stMain"] h1').first.inner_text().strip(),
            "url": page.url,
            "failed": failed,
            "probes": probes,
            "root": srv.url,
            "menu": menu.inner_text() if menu.count() else "",
            "dialogs": [dialogs.nth(i).inner_text() for i in range(dialogs.count())],
        }
    finally:
        context.close()
        srv.stop()


def check(browser, path, title, params):
    seen = open_first(browser, path)
    h1, url, failed, menu = seen["h1"], seen["url"], seen["failed"], seen["menu"]
    assert h1 == title(), f"first visit to {path} on a fresh server shows {h1!r} at {url}"
    # Run through dashboard.py: its menu (page titles, the themes), not Streamlit's file names.
    # (Streamlit's file-name menu lists the files: "dashboard", "theme"; dashboard.py's has its
    # sections and the first theme, the rest behind "View N more".)
    items = set(menu.split())
    assert "Overview" in menu and "Themes" in menu and theme_title("civic-space") in menu, (
        f"{path}: not dashboard.py's menu: {menu!r}"
    )
    assert not items & {"dashboard", "theme"}, f"{path}: file-name menu {menu!r}"
    parts = urlsplit(url)
    assert parts.path == urlsplit(path).path, f"{path} moved to {url}"
    for key, value in params.items():
        assert re.search(rf"(^|&){key}={re.escape(value)}(&|$)", parts.query), f"{path}: {key} lost in {url}"
    # No dialog over the page ("Page not found" drew over the right page on a first session).
    assert not seen["dialogs"], f"{path}: a dialog over the first reader's page: {seen['dialogs']}"
    # Defect 12: nothing fails, not even Streamlit's probes of <page>/_stcore/health and
    # host-config (streamlit/streamlit#7074): the page says where its server is.
    assert not failed, f"{path}: requests that failed on the first visit: {failed}"
    assert seen["probes"] == [seen["root"] + "/_stcore/health"], seen["probes"]  # the root, once


@pytest.mark.parametrize("path,title,params", LINKS, ids=[p for p, _, _ in LINKS])
def test_deep_link_first_visit(browser, path, title, params):
    check(browser, path, title, params)


@pytest.mark.slow
@pytest.mark.parametrize("path,title,params", SLOW_LINKS, ids=[p for p, _, _ in SLOW_LINKS])
def test_deep_link_first_visit_more(browser, path, title, params):
    check(browser, path, title, params)


def test_deep_link_through_nginx_fails_no_request(browser):
    """Defect 12 behind the deployed nginx (ogp/ops/serve.py, deploy/nginx.conf) as well: a page
    opened by its URL makes no request that fails and probes only the root."""
    from ogp.ops.serve import Cluster

    with Cluster(1) as cluster:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        try:
            Guard(cluster.url).install(context)
            page = context.new_page()
            failed, probes = [], []
            page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.on("request", lambda r: probes.append(r.url) if "/_stcore/health" in r.url else None)
            page.goto(cluster.url + "/members?member=GBR", wait_until="domcontentloaded")
            wait_idle(page)
            assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == "United Kingdom"
        finally:
            context.close()
    assert not failed, f"requests that failed on a deep link through nginx: {failed}"
    assert probes == [cluster.url + "/_stcore/health"], probes  # the root only, asked once
