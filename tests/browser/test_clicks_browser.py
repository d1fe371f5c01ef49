"""A reader clicks the charts: every chart and map of a page and of every slide, a few points
over each map (members, local members' points, the sea) and the bars, and no click may end in
"This app has encountered an error". The complaint this stands for: clicking a country on the
deck's map slide crashed the deck (pages/present.py called a helper that did not exist, and no
test clicked it: AppTest cannot click a chart).

The default run clicks a representative set (the deck's map slide, /map, one theme page);
`--slow` clicks every page and every slide."""

from __future__ import annotations

import pytest
from ogp_browser import page_list, reset_idle, wait_idle

from ogp.model.themes import load_themes
from ogp.render import deck

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
STEXCEPTION = '[data-testid="stException"]'
ERROR = f'{STEXCEPTION}, :text("This app has encountered an error")'
# Where a reader clicks on a world map (lon, lat): members of both exports, a local member's
# point (Madrid) and the open sea. Points the map does not show at its width are skipped.
PLACES = {
    "Spain": (-3.7, 40.4),
    "Brazil": (-51.0, -10.0),
    "Kenya": (37.9, 0.3),
    "Indonesia": (113.0, -1.5),
    "Mexico": (-102.0, 23.5),
    "the Atlantic": (-35.0, 20.0),
}
FEW_PLACES = ("Spain", "the Atlantic")  # the default run: a member and the sea
THEME = load_themes()[0].slug
SPOTLIGHT = "GBR"

# Each drawn, visible chart of the page: its title, whether it is a map, and where to click it
# (page coordinates after scrolling it into view): the places on a map, else the middle of its
# first and last bars (or of its plot when it has none).
TARGETS_JS = """
([index, places, most]) => {
  const charts = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    .filter(c => c.getBoundingClientRect().width > 0 && getComputedStyle(c).visibility !== 'hidden');
  if (index == null) return charts.length;
  const chart = charts[index];
  if (!chart) return null;
  chart.scrollIntoView({block: 'center'});
  const gd = chart.querySelector('.js-plotly-plot');
  const fl = gd && gd._fullLayout;
  const title = ((fl && fl.title && fl.title.text) || '').replace(/<[^>]+>/g, ' ');
  const inside = (r, x, y) => x > r.left + 2 && x < r.right - 2 && y > r.top + 2 && y < r.bottom - 2
    && x > 0 && y > 0 && x < innerWidth && y < innerHeight;
  const mapKey = fl && Object.keys(fl).find(k => /^map\\d*$/.test(k) && fl[k] && fl[k]._subplot);
  if (mapKey) {
    const m = fl[mapKey]._subplot.map, canvas = m.getCanvas().getBoundingClientRect();
    const points = [];
    for (const [name, lonlat] of places) {
      const p = m.project(lonlat), x = canvas.left + p.x, y = canvas.top + p.y;
      if (inside(canvas, x, y)) points.push([name, x, y]);
    }
    return {title, map: true, points};
  }
  const bars = Array.from(chart.querySelectorAll('.trace.bars .point path'))
    .map(b => b.getBoundingClientRect()).filter(r => r.width > 2 && r.height > 2);
  const plot = chart.querySelector('.nsewdrag');
  const boxes = (bars.length ? [bars[0], bars[bars.length - 1]] : plot ? [plot.getBoundingClientRect()] : []).slice(0, most);
  const points = boxes.map((r, i) => [`bar ${i + 1}`, r.left + r.width / 2, r.top + r.height / 2])
    .filter(([, x, y]) => x > 0 && y > 0 && x < innerWidth && y < innerHeight);
  return {title, map: false, points};
}
"""


def error_shown(page) -> str | None:
    found = page.locator(ERROR)
    return found.first.inner_text()[:200] if found.count() else None


def open_settled(session, path: str, viewport: dict | None):
    page = session.new_page()
    page.set_default_timeout(120_000)  # the first run opens the store; CI machines are busy
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(session.url(path))
    wait_idle(page)
    return page


def click_every_chart(
    session, path: str, viewport: dict | None = None, places=tuple(PLACES), bars: int = 2
) -> list[str]:
    """Click every chart of `path` as a reader would (`places` on a map, `bars` bars of the
    others); what went wrong, as sentences. A click that opens another page (a member's, from
    a map) is followed there, then `path` reopens."""
    problems: list[str] = []
    chosen = [[name, list(PLACES[name])] for name in places]
    page = open_settled(session, path, viewport)
    start = page.url
    if error_shown(page):
        return [f"{path}: an error before any click: {error_shown(page)}"]
    count = page.evaluate(TARGETS_JS, [None, chosen, bars])
    assert count, f"{path}: no chart to click"
    for index in range(count):
        target = page.evaluate(TARGETS_JS, [index, chosen, bars])
        for n in range(len(target["points"]) if target else 0):
            if page.url != start:  # the last click opened another page: back to this one
                page.goto(start)
                wait_idle(page)
            target = page.evaluate(TARGETS_JS, [index, chosen, bars])
            if not target or n >= len(target["points"]):
                break
            name, x, y = target["points"][n]
            reset_idle(page)
            page.mouse.click(x, y)
            page.wait_for_timeout(400)  # a click's rerun (or page switch) starts
            wait_idle(page)
            shown = error_shown(page)
            if shown:
                problems.append(f"{path}: clicking {name} on “{target['title'].strip()}” showed: {shown}")
                page.goto(start)
                wait_idle(page)
    page.close()
    return problems


def deck_map_slide() -> int:
    return next(i for i, s in enumerate(deck.build_deck(load_themes()), 1) if s.kind == deck.MAP)


# -- the default run: the deck's map slide, the map page, one theme page -----------------------
def test_clicking_the_deck_map_opens_the_spotlight_next(session):
    """A click on Spain on the deck's map (at a 1280x720 projector): no error, and the member's
    spotlight is the next slide of the story the URL now names."""
    number = deck_map_slide()
    page = open_settled(session, f"/present?slide={number}", PROJECTOR)
    target = page.evaluate(TARGETS_JS, [0, [["Spain", list(PLACES["Spain"])]], 0])
    assert target["map"] and target["points"], target
    _name, x, y = target["points"][0]
    reset_idle(page)
    page.mouse.click(x, y)
    page.wait_for_function(
        f"location.search.includes('slide={number + 1}') || !!document.querySelector('{STEXCEPTION}')"
    )
    wait_idle(page)
    assert not error_shown(page), error_shown(page)
    heading = page.locator("h1").first.inner_text()
    assert heading in ("Spain", "Madrid, Spain"), heading  # the country or its local member's point
    assert "member" in page.url and "slides=" in page.url
    page.close()
    assert not session.errors, session.errors


@pytest.mark.parametrize(
    "path, places", [("/map", FEW_PLACES), (f"/{THEME}", FEW_PLACES[:1])], ids=["map", "theme"]
)
def test_clicking_a_page_s_charts(session, path, places):
    """The map page (a member, the sea) and a theme page (its map, a bar of each chart)."""
    problems = click_every_chart(session, path, places=places, bars=1)
    assert not problems, "\n".join(problems)
    assert not session.errors, session.errors


# -- --slow: every page, every slide, more places ------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("app_page", [p for p in page_list() if p.min_charts], ids=lambda p: p.name)
def test_clicking_every_page(session, app_page):
    """Every page with a chart (ogp_browser.page_list: the others have none by design)."""
    problems = click_every_chart(session, app_page.path)
    assert not problems, "\n".join(problems)


SLIDES = deck.build_deck(load_themes(), SPOTLIGHT)


@pytest.mark.slow
@pytest.mark.parametrize("number", range(1, len(SLIDES) + 1), ids=[s.slug for s in SLIDES])
def test_clicking_every_slide(session, number):
    problems = click_every_chart(session, f"/present?member={SPOTLIGHT}&slide={number}", PROJECTOR)
    assert not problems, "\n".join(problems)
