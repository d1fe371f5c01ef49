"""The dashboard in a real browser, with nothing but the app reachable: every page draws its
charts (maps in software WebGL) with no exception and no request leaving the machine; a click
on a country of the map opens that member's page; a copied URL reopens the same view.

The complaints these tests stand for: "the map is blank at the summit" (venue without Wi-Fi),
"clicking a country does nothing", "the link I shared opened a different view"."""

from __future__ import annotations

import re
import time

import pytest
from ogp_browser import ROOT, SETTLE_MS, Guard, charts, distinct_colours, page_list, reset_idle, wait_idle
from pagetest import default_theme_slugs, sweep
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

PAGES = page_list()
MAP_DRAW_S = 15  # software WebGL: MapLibre may need a few seconds after the page settles

# Interior points (lon, lat) of large members, far from borders: a click there hits the country.
INTERIOR = {
    "BRA": (-51.0, -10.0),
    "USA": (-99.0, 39.0),
    "CAN": (-105.0, 57.0),
    "MEX": (-102.5, 24.0),
    "ARG": (-65.0, -35.0),
    "AUS": (134.0, -25.0),
    "MNG": (103.0, 46.5),
    "ZAF": (24.0, -30.0),
    "UKR": (32.0, 49.0),
    "FRA": (2.5, 46.5),
    "ESP": (-3.7, 40.0),
    "KEN": (38.0, 0.5),
    "NGA": (8.0, 9.5),
    "COL": (-73.0, 4.0),
    "PER": (-75.0, -10.0),
}


def settle(page, session, what: str) -> float:
    """wait_idle, failing with what the page and the server show when it does not settle."""
    try:
        return wait_idle(page)
    except PlaywrightTimeout:
        state = page.evaluate("""() => { const a = document.querySelector('[data-testid="stApp"]');
            return a ? {script: a.dataset.testScriptState, connection: a.dataset.testConnectionState} : null; }""")
        pytest.fail(
            f"{what} did not settle within {SETTLE_MS // 1000} s: app state {state}, charts {charts(page)}, "
            f"exceptions {exception_texts(page)}, blocked {session.blocked}\n"
            f"server log:\n{session.server.log_tail(2000)}",
            pytrace=False,
        )


def exception_texts(page) -> list[str]:
    return [t.strip()[:500] for t in page.locator('[data-testid="stException"]').all_inner_texts()]


def server_traceback(session) -> str:
    """The last traceback in the server's log: the page only shows a redacted message."""
    log = session.server.log_tail(20_000)
    return log[log.rfind("Traceback") :][:3000] if "Traceback" in log else "(no traceback in the server log)"


def assert_no_exception(page, what: str, session=None) -> None:
    shown = exception_texts(page)
    if shown and session is not None:
        shown.append("server log: " + server_traceback(session))
    assert not shown, f"{what} shows an exception: {shown}"
    body = page.inner_text("body")
    assert "Traceback" not in body, f"{what} shows a traceback: …{body[body.index('Traceback') :][:500]}"


def map_colours(page, chart) -> int:
    """Colours in the middle of a map chart, waiting for software WebGL to draw (1 = blank)."""
    canvas = chart.locator("canvas.maplibregl-canvas").first
    canvas.scroll_into_view_if_needed()
    deadline, colours = time.monotonic() + MAP_DRAW_S, 0
    while time.monotonic() < deadline:
        colours = distinct_colours(page, canvas.screenshot())
        if colours >= 3:
            break
        time.sleep(0.5)
    return colours


# Every page but the theme pages of pagetest.default_theme_slugs() (one script renders every theme)
# in the default run; the other nine themes with --slow.
@pytest.mark.parametrize(
    "app_page",
    sweep(PAGES, lambda p: not p.theme or p.theme in default_theme_slugs(), ids=[p.name for p in PAGES]),
)
def test_page_draws_offline(session, app_page):
    """Opens with every outside request blocked, draws its charts, shows no exception and
    asks for nothing outside the machine."""
    page = session.new_page()
    page.goto(session.url(app_page.path), wait_until="domcontentloaded")
    settle(page, session, app_page.path)
    assert_no_exception(page, app_page.path, session)

    drawn = [c for c in charts(page) if c["drawn"]]
    assert len(drawn) >= app_page.min_charts, (
        f"{app_page.path}: {len(drawn)} chart(s) drawn, expected at least {app_page.min_charts}: {charts(page)}"
    )
    maps = [i for i, c in enumerate(charts(page)) if c["map"]]
    assert len(maps) >= app_page.min_maps, f"{app_page.path}: expected a MapLibre map, got {charts(page)}"
    for i in maps:
        chart = page.locator('[data-testid="stPlotlyChart"]').nth(i)
        colours = map_colours(page, chart)
        assert colours >= 3, f"{app_page.path}: map #{i} is blank ({colours} colour(s) in its middle)"
    if app_page.table:
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(state="visible")
        assert grid.locator("canvas").count() or grid.locator("table").count(), (
            f"{app_page.path}: empty table"
        )

    assert not session.blocked, f"{app_page.path} tried to reach outside the machine: {session.blocked}"
    assert not session.errors, f"{app_page.path}: JavaScript errors: {session.errors}"


def test_guard_blocks_outside_requests(session):
    """The offline checks above mean something: a request leaving the machine is caught."""
    page = session.new_page()
    page.goto(session.url("/_stcore/health"))
    page.evaluate("""() => Promise.all([
        fetch('https://cdn.plot.ly/un/world_110m.json').catch(() => null),
        new Promise(r => { const i = new Image(); i.onload = i.onerror = r; i.src = 'https://tiles.example.org/0/0/0.png'; }),
        new Promise(r => { const w = new WebSocket('wss://example.org/socket'); w.onerror = w.onclose = r; })])""")
    assert any("cdn.plot.ly" in u for u in session.blocked), session.blocked
    assert any("tiles.example.org" in u for u in session.blocked), session.blocked
    assert any(u.startswith("wss://example.org") for u in session.blocked), session.blocked
    assert not any(session.server.url in u for u in session.blocked), session.blocked


# -- drill-down from the map ---------------------------------------------------------------
FIND_COUNTRY_JS = """
(interior) => {
  for (const gd of document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')) {
    const fl = gd._fullLayout;
    const key = fl && Object.keys(fl).find(k => /^map\\d*$/.test(k) && fl[k] && fl[k]._subplot);
    if (!key) continue;
    const codes = new Set();
    for (const t of gd._fullData) {
      if (t.type !== 'choroplethmap' || t.subplot !== key) continue;
      for (const cd of (t.customdata || [])) codes.add(Array.isArray(cd) ? String(cd[0]) : String(cd));
    }
    const code = Object.keys(interior).find(c => codes.has(c));
    if (!code) return {error: 'none of ' + Object.keys(interior) + ' among ' + [...codes].slice(0, 20)};
    gd.scrollIntoView({block: 'center'});
    const m = fl[key]._subplot.map, box = m.getContainer().getBoundingClientRect();
    const p = m.project(interior[code]);
    return {code, x: box.left + p.x, y: box.top + p.y};
  }
  return {error: 'no MapLibre chart on the page'};
}
"""

HOVERED_JS = """
() => { for (const gd of document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')) {
    const h = gd._hoverdata && gd._hoverdata[0];
    if (h) { const cd = h.customdata; return Array.isArray(cd) ? String(cd[0]) : String(cd); } }
  return null; }
"""


def member_names() -> dict[str, str]:
    import sys

    sys.path.insert(0, str(ROOT))
    from ogp.data.store import Store

    options = Store().query("member_options")
    return dict(zip(options["member_code"], options["member_name"]))


def test_map_click_opens_member_page(session):
    page = session.new_page()
    page.goto(session.url("/map"), wait_until="domcontentloaded")
    settle(page, session, "/map")
    assert_no_exception(page, "/map", session)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    assert map_colours(page, chart) >= 3, "the map is blank"
    time.sleep(1)  # the map's view can still be easing in: let it stand still before projecting

    target = page.evaluate(FIND_COUNTRY_JS, {k: list(v) for k, v in INTERIOR.items()})
    assert "error" not in target, target["error"]
    code, x, y = target["code"], target["x"], target["y"]
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y, steps=3)
    try:
        page.wait_for_function(HOVERED_JS, polling=100, timeout=10_000)
    except PlaywrightTimeout:
        pytest.fail(f"hovering {code} at ({x:.0f}, {y:.0f}) shows no hover label on the map", pytrace=False)
    assert page.evaluate(HOVERED_JS) == code, (
        f"the point chosen for {code} hovers {page.evaluate(HOVERED_JS)}"
    )

    reset_idle(page)
    page.mouse.click(x, y)
    try:
        page.wait_for_url(re.compile(rf"/members\?(.*&)?member={code}\b"), timeout=30_000)
    except (PlaywrightTimeout, PlaywrightError):
        pytest.fail(
            f"clicking {code} on the map did not open its page: still at {page.url}; "
            f"exceptions {exception_texts(page)}",
            pytrace=False,
        )
    settle(page, session, page.url)
    assert_no_exception(page, page.url, session)
    name = member_names()[code]
    title = page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
    assert title == name, f"clicked {code}: page title is {title!r}, expected {name!r}"
    assert not session.blocked, session.blocked


def test_phone_visitor_taps_a_country_and_reads_its_page(browser, server):
    """Issue 17's 'done when': on a 390x844 touch phone, the map opens on the Americas, a tap on
    a country opens that member's page, and the page reads without sideways scrolling; the map's
    title is not under its toolbar (always shown on a touch screen)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, service_workers="block"
    )
    guard = Guard(server.url).install(context)
    try:
        page = context.new_page()
        page.goto(server.url + "/map", wait_until="domcontentloaded")
        wait_idle(page)
        chart = page.locator('[data-testid="stPlotlyChart"]').first
        assert map_colours(page, chart) >= 3, "the map is blank on the phone"
        title = chart.locator(".gtitle").first.bounding_box()
        for button in chart.locator(".modebar-btn").all():
            box = button.bounding_box()
            if box and box["width"]:
                overlap = min(title["y"] + title["height"], box["y"] + box["height"]) - max(
                    title["y"], box["y"]
                )
                assert overlap <= 2 or box["x"] > title["x"] + title["width"], "the toolbar covers the title"
        time.sleep(1)  # let the map's view stand still before projecting
        target = page.evaluate(FIND_COUNTRY_JS, {"BRA": list(INTERIOR["BRA"])})
        assert "error" not in target, target["error"]
        assert 0 < target["x"] < 390, f"Brazil is off-screen on the phone map (x = {target['x']:.0f})"
        reset_idle(page)
        page.touchscreen.tap(target["x"], target["y"])
        page.wait_for_url(re.compile(r"/members\?(.*&)?member=BRA\b"), timeout=30_000)
        wait_idle(page)
        assert_no_exception(page, page.url)
        heading = page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
        assert heading == member_names()["BRA"]
        wide, window = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert wide <= window, f"the member page scrolls sideways on a phone ({wide} > {window} px)"
        assert not guard.blocked, guard.blocked
    finally:
        context.close()


# -- shared links --------------------------------------------------------------------------
REGION, SEARCH = "Europe", "parliament"
COUNT_RE = re.compile(r"([\d,]+)\s+commitments match")


def result_count(page) -> int:
    text = page.locator('[data-testid="stMain"]').inner_text()
    found = COUNT_RE.search(text)
    assert found, f"no result count on {page.url}: {text[:300]!r}"
    return int(found.group(1).replace(",", ""))


def region_chips(page) -> list[str]:
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Region")
    tags = box.locator("[data-tag]")  # react-aria tags (Streamlit 1.67), one per chosen value
    return [
        tags.nth(i).get_attribute("aria-label") or tags.nth(i).inner_text().strip()
        for i in range(tags.count())
    ]


def search_box(page):
    return page.get_by_label("Search titles, descriptions, institutions")


def test_copied_url_restores_filters(session, new_session):
    page = session.new_page()
    page.goto(session.url("/commitments"), wait_until="domcontentloaded")
    settle(page, session, "/commitments")
    everything = result_count(page)

    region = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Region")
    reset_idle(page)
    region.locator("input").click()
    page.get_by_role("option", name=REGION, exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"[?&]region="))
    settle(page, session, "/commitments after choosing a region")

    reset_idle(page)
    search_box(page).fill(SEARCH)
    search_box(page).press("Enter")
    page.wait_for_url(re.compile(r"[?&]q="))
    settle(page, session, "/commitments after a search")
    assert_no_exception(page, page.url, session)

    shared = page.url
    count = result_count(page)
    assert region_chips(page) == [REGION]
    assert 0 < count < everything, f"region {REGION} + “{SEARCH}” matched {count} of {everything}"

    other = new_session().new_page()  # a fresh browser profile, as someone opening the link
    other.goto(shared, wait_until="domcontentloaded")
    settle(other, session, shared)
    assert_no_exception(other, shared, session)
    assert region_chips(other) == [REGION], f"{shared}: region filter not restored"
    assert search_box(other).input_value() == SEARCH, f"{shared}: search not restored"
    assert result_count(other) == count, f"{shared}: {result_count(other)} results, the sharer saw {count}"
    assert not session.blocked, session.blocked


def test_back_after_moving_on_with_a_filter_set_returns_in_one_press(session):
    """A reader scopes the overview to a theme and a completion level, opens Members from the
    menu, and presses Back once: the overview with its filters is on screen again. Before, each
    filter the new page wrote to the URL pushed a history entry of its own (4 entries for one
    click here), and Back stayed on Members."""
    start = "/?theme=open-budgets&completion=Complete"
    page = session.new_page()
    page.goto(session.url(start), wait_until="domcontentloaded")
    settle(page, session, start)
    before = page.evaluate("history.length")
    reset_idle(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Members").click()
    page.wait_for_url(re.compile(r"/members"))
    settle(page, session, "/members from the menu")
    assert re.search(r"[?&]theme=open-budgets(&|$)", page.url), page.url  # the filters went along
    assert page.evaluate("history.length") == before + 1  # one click, one entry
    reset_idle(page)
    page.go_back()
    settle(page, session, "Back")
    assert_no_exception(page, page.url, session)
    assert page.url.split("?")[0].rstrip("/") == session.url(""), page.url  # the overview
    assert re.search(r"[?&]theme=open-budgets(&|$)", page.url) and re.search(
        r"[?&]completion=Complete(&|$)", page.url
    )
    assert page.locator("h1").first.inner_text().startswith("Open Government Partnership")


def test_filters_stay_as_the_reader_moves_through_the_menu(session):
    """A staff member scopes the overview to a member and a snapshot, then opens Monitor from the
    sidebar's menu: the lists are that member's as of that snapshot (the filter bar belongs to
    dashboard.py, not to each page), and the URL still says so. Before, the page started from
    all members' latest state while the URL kept `members=GBR`."""
    from ogp.data.store import Store
    from ogp.model.filters import Filters
    from ogp.render import views

    store = Store()
    try:
        report = views.monitor(store.query, store.snapshots, Filters(snapshot="2024-07-06", members=("GBR",)))
        awaiting, gaps = report.counts()["awaiting"], report.counts()["gaps"]
        everyone = views.monitor(store.query, store.snapshots, Filters()).counts()
    finally:
        store.close()
    # the check below can tell the two apart (late plans cannot: both bundled snapshots are
    # extracts, so no plan is called late for anyone)
    assert (awaiting, gaps) != (everyone["awaiting"], everyone["gaps"])

    page = session.new_page()
    page.goto(session.url("/?members=GBR&snapshot=2024-07-06"), wait_until="domcontentloaded")
    settle(page, session, "/?members=GBR&snapshot=2024-07-06")
    reset_idle(page)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Monitor").click()
    page.wait_for_url(re.compile(r"/monitor"))
    settle(page, session, "/monitor from the menu")
    assert_no_exception(page, page.url, session)
    assert re.search(r"[?&]members=GBR(&|$)", page.url) and re.search(
        r"[?&]snapshot=2024-07-06(&|$)", page.url
    )
    shown = dict(t.split("\n\n") for t in page.locator('[data-testid="stMetric"]').all_inner_texts())
    assert shown["Awaiting assessment"] == str(awaiting) and shown["Data gaps"] == str(gaps), shown
