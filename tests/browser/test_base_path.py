"""The dashboard served under a sub-path, as behind a proxy at https://host/ogp/
(`--server.baseUrlPath ogp`): every kind of link stays inside /ogp/ and lands on the right page.

Kinds of link: a table cell (st.dataframe LinkColumn, the monitor's lists) and a markdown link
(plain strings the browser opens in a new tab), st.page_link, and a click on the map
(st.switch_page). Before ogp/model/urls.py, the table links pointed at /members?member=X, outside the app.

The complaint this stands for: "behind our proxy, every link in a table gives a 404"."""

from __future__ import annotations

import re
import time

import pytest
from ogp_browser import VIEWPORT, Guard, Server, reset_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser import (
    FIND_COUNTRY_JS,
    HOVERED_JS,
    INTERIOR,
    assert_no_exception,
    map_colours,
    member_names,
    settle,
)

pytestmark = pytest.mark.browser

BASE = "/ogp"
ROW_H = 35  # st.dataframe row and header height (px)


@pytest.fixture(scope="module")
def sub_server():
    srv = Server(base_path=BASE).start()
    yield srv
    srv.stop()


class SubSession:
    """A context guarded to the app; `session.url` is the app's root (with /ogp)."""

    def __init__(self, browser, server: Server):
        self.server = server
        self.context = browser.new_context(viewport=VIEWPORT, locale="en-GB", service_workers="block")
        self.context.set_default_timeout(30_000)
        self.guard = Guard(server.url).install(self.context)

    def url(self, path: str) -> str:
        return self.server.url + BASE + path

    @property
    def blocked(self) -> list[str]:
        return self.guard.blocked


@pytest.fixture
def sub(browser, sub_server):
    s = SubSession(browser, sub_server)
    yield s
    s.context.close()


def open_page(sub: SubSession, path: str):
    page = sub.context.new_page()
    page.goto(sub.url(path), wait_until="domcontentloaded")
    settle(page, sub, BASE + path)
    assert_no_exception(page, BASE + path, sub)
    return page


def title(page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


def follow_table_link(sub: SubSession, page, grid, row: int = 0):
    """Click the link in the first column of a data row; the grid opens it in a new tab
    (the first click selects the cell, a second one on the link text opens it)."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    x, y = box["x"] + 18, box["y"] + ROW_H * (row + 1) + ROW_H / 2
    for _ in range(3):
        page.mouse.move(x - 5, y)
        page.mouse.move(x, y, steps=4)
        time.sleep(0.3)
        try:
            with sub.context.expect_page(timeout=4_000) as opened:
                page.mouse.click(x, y)
            tab = opened.value
            settle(tab, sub, tab.url)
            return tab
        except PlaywrightTimeout:
            continue
    pytest.fail(f"clicking the link of row {row} of the table on {page.url} opened nothing", pytrace=False)


def link_text(grid, row: int = 0) -> str:
    """The `row`-th link of a table as the grid's accessible cells hold it (its target URL)."""
    deadline, links = time.monotonic() + 15, []
    while time.monotonic() < deadline:  # a table in a tab just opened is drawn a moment later
        grid.wait_for(state="visible")
        links = [c for c in grid.locator('[role="gridcell"]').all_inner_texts() if c.startswith(BASE + "/")]
        if len(links) > row:
            return links[row]
        time.sleep(0.3)
    pytest.fail(f"the table has no link in row {row}: {links}", pytrace=False)


def visible_table(page):
    return page.locator('[data-testid="stDataFrame"]').filter(visible=True).first


def test_table_links_stay_under_the_sub_path(sub):
    """The monitor's lists link each row to its member and its commitment (LinkColumn)."""
    names = member_names()
    page = open_page(sub, "/monitor")
    grid = visible_table(page)  # the first list with rows (awaiting assessment): member first
    target = link_text(grid)
    code = re.search(r"[?&]member=([^&]+)", target).group(1)
    assert target == f"{BASE}/members?member={code}", target
    tab = follow_table_link(sub, page, grid)
    assert tab.url == sub.url(f"/members?member={code}"), tab.url
    assert_no_exception(tab, tab.url, sub)
    assert title(tab) == names[code]

    changes = page.get_by_role("tab", name=re.compile(r"^Changes"))
    assert re.search(r"\(([1-9][\d,]*)\)", changes.inner_text()), changes.inner_text()  # not empty
    changes.click()
    # its per-member summary, then the changed commitments: the commitment is the first column
    grids = page.locator('[data-testid="stDataFrame"]').filter(visible=True)
    grids.nth(1).wait_for(state="visible")
    grid = grids.nth(1)
    target = link_text(grid)
    key = re.search(r"[?&]id=([^&]+)", target).group(1)
    assert target == f"{BASE}/commitments?id={key}", target
    detail = follow_table_link(sub, page, grid)
    assert detail.url == sub.url(f"/commitments?id={key}"), detail.url
    assert_no_exception(detail, detail.url, sub)
    assert f"key {key}" in detail.locator('[data-testid="stMain"]').inner_text().replace("`", "")
    assert not sub.blocked, sub.blocked


def test_markdown_and_page_links_stay_under_the_sub_path(sub):
    page = open_page(sub, "/commitments?id=GBR-2-5")
    name = member_names()["GBR"]
    link = page.locator('[data-testid="stMarkdown"] a').filter(has_text=name).first
    assert link.get_attribute("href") == f"{BASE}/members?member=GBR"
    with sub.context.expect_page() as opened:  # Streamlit opens markdown links in a new tab
        link.click()
    tab = opened.value
    settle(tab, sub, tab.url)
    assert tab.url == sub.url("/members?member=GBR"), tab.url
    assert title(tab) == name

    reset_idle(page)
    page.get_by_role("link", name=f"More from {name}").click()
    page.wait_for_url(re.compile(rf"{re.escape(sub.url('/members'))}\?(.*&)?member=GBR\b"))
    settle(page, sub, page.url)
    assert title(page) == name
    assert not sub.blocked, sub.blocked


def test_map_click_stays_under_the_sub_path(sub):
    page = open_page(sub, "/map")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    assert map_colours(page, chart) >= 3, "the map is blank"
    time.sleep(1)  # let the map's view stand still before projecting
    target = page.evaluate(FIND_COUNTRY_JS, {k: list(v) for k, v in INTERIOR.items()})
    assert "error" not in target, target["error"]
    code, x, y = target["code"], target["x"], target["y"]
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y, steps=3)
    page.wait_for_function(HOVERED_JS, polling=100, timeout=10_000)
    reset_idle(page)
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(rf"{re.escape(sub.url('/members'))}\?(.*&)?member={code}\b"))
    settle(page, sub, page.url)
    assert title(page) == member_names()[code]
    assert not sub.blocked, sub.blocked
