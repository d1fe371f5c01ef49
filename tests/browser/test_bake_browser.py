"""The baked public site in chromium: the home and a member page at 1280x720 and on a 390x844
phone pass the dashboard's screen checks and axe-core (0 serious or critical), make no request
outside the site, and read the same with JavaScript off (figures, map, charts, links)."""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from ogp_browser import Guard
from screen_checks import VIEWPORTS, axe_violations, layout_problems, shoot

from ogp.ops import bake

PAGES = {"home": "/", "member-GBR": "/members/GBR/", "member-ARBA-es": "/es/members/ARBA/"}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site_url():
    parent = Path(tempfile.mkdtemp(prefix="ogp-bake-browser-"))
    out = parent / "site"
    bake.bake(out, languages=("en", "es"), images=False)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    shutil.rmtree(parent, ignore_errors=True)


@pytest.mark.parametrize("viewport", ["1280x720", "390x844"])
@pytest.mark.parametrize("name", list(PAGES))
def test_baked_pages_pass_the_screen_checks_and_axe(browser, site_url, name, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    guard = Guard(site_url).install(context)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site_url + PAGES[name], wait_until="load")
        problems = [f"layout: {p}" for p in layout_problems(page)]
        problems += [f"axe: {v}" for v in axe_violations(page, exclude=[])]
        shoot(page, f"bake-{name}-{viewport}")
        # every chart's text drawn at a readable size on this screen
        small = page.evaluate(
            """() => [...document.querySelectorAll('svg.chart text')].filter(t => t.getBoundingClientRect().height > 0)
                 .map(t => t.getBoundingClientRect().height).filter(h => h < 9).length"""
        )
        assert not small, f"{small} chart labels drawn under 9 px high"
        assert not problems, "\n".join(problems)
        assert not errors and not guard.blocked, (errors, guard.blocked)
    finally:
        context.close()


def test_readable_with_javascript_off(browser, site_url):
    context = browser.new_context(viewport=VIEWPORTS["390x844"], java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "/")
        assert page.locator("h1").inner_text().startswith("Open Government Partnership")
        assert page.locator(".figure").count() >= 8 and page.locator(".figure .value").first.is_visible()
        assert page.locator("svg.map a").count() > 50 and page.locator("svg.map").is_visible()
        assert page.locator("svg.chart").count() >= 2
        page.locator("svg.map a[href='./members/GBR/']").first.dispatch_event("click")
        page.wait_for_url("**/members/GBR/")
        assert page.locator("h1").inner_text() == "United Kingdom"
        assert page.locator("table tbody tr").count() >= 1
        page.goto(site_url + "/map/")
        page.get_by_role("link", name="Starred commitments").click()
        page.wait_for_url("**/map/starred/")
        assert "Starred commitments by member" in page.locator("figcaption h2").inner_text()
    finally:
        context.close()


def test_map_hover_shows_a_members_details(browser, site_url):
    context = browser.new_context(viewport=VIEWPORTS["1280x720"])
    try:
        page = context.new_page()
        page.goto(site_url + "/")
        page.locator("svg.map a[href='./members/BRA/'] path").hover()
        tip = page.locator("#tip")
        assert tip.is_visible() and tip.inner_text().startswith("Brazil")
    finally:
        context.close()
