"""Right on every screen (issue 17), in a real browser: opening a commitment keeps the tab and
the filters; every page at a laptop size and on a phone has no legend over a chart title, no text
wider than its box, no sideways scrolling on the phone, and no serious accessibility violation
(axe-core); the deck fits a projector. Screenshots of every page land in
tests/browser/screenshots/ (git-ignored) for a person to look at."""

from __future__ import annotations

import re

import pytest
from ogp_browser import reset_idle, wait_idle

pytestmark = pytest.mark.browser


def open_page(session, path: str, viewport: dict | None = None):
    page = session.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(session.url(path), wait_until="domcontentloaded")
    wait_idle(page)
    return page


def select_first_row(page, grid) -> None:
    """Tick the selection box of a data grid's first row (glide-data-grid draws on a canvas)."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 38 + 17)


# 10. A commitment opened in a new tab and its list forgot the filters --------------------------
def test_opening_a_commitment_keeps_the_tab_and_the_filters(session):
    page = open_page(session, "/commitments?region=Europe&q=parliament")
    grid = page.locator('[data-testid="stDataFrame"]').first
    reset_idle(page)
    select_first_row(page, grid)
    page.wait_for_function("location.search.includes('id=')", timeout=30_000)
    wait_idle(page)
    assert len(session.context.pages) == 1, "the commitment opened in another tab"
    assert "region=Europe" in page.url and "q=parliament" in page.url, page.url
    assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() != "Commitments"
    assert page.get_by_text(re.compile(r"commitments match")).count() == 1  # the filtered list is below


# -- every page at a laptop size and on a phone; the full cross product with --slow -------------
from ogp_browser import page_list  # noqa: E402
from pagetest import default_theme_slugs, sweep  # noqa: E402
from screen_checks import (  # noqa: E402
    PHONE,
    VIEWPORTS,
    axe_violations,
    cut_selects,
    exported_png,
    label_problems,
    layout_problems,
    shoot,
    slide_fit,
    web_font_text,
)

from ogp.model import i18n  # noqa: E402
from ogp.model.themes import load_themes  # noqa: E402
from ogp.render import deck  # noqa: E402

PAGES = [p for p in page_list() if p.name != "present"]  # the deck has its own checks below
DEFAULT_VIEWPORT = "1440x900"
CASES = [(p, vp) for vp in (DEFAULT_VIEWPORT, PHONE) for p in PAGES]
SLOW_CASES = [(p, vp) for vp in VIEWPORTS if vp not in (DEFAULT_VIEWPORT, PHONE) for p in PAGES]
SPOTLIGHT = "GBR"  # the deck opened with a member spotlight: its slide first


def check_screen(session, path: str, name: str, viewport: str) -> list[str]:
    page = open_page(session, path, VIEWPORTS[viewport])
    page.wait_for_timeout(500)  # plotly's last relayout after the charts are drawn
    shoot(page, f"{name}-{viewport}")
    found = [f"layout: {p}" for p in layout_problems(page)]
    found += [f"chart text in a web font the PNG export cannot use: {t}" for t in web_font_text(page)]
    found += [f"axe: {v}" for v in axe_violations(page)]
    assert not session.errors, session.errors
    return found


def case_id(case) -> str:
    return f"{case[0].name}-{case[1]}"


# Both sizes of every page by default, the theme pages through the first of
# pagetest.default_theme_slugs() at both sizes and the last on the phone (one script renders every
# theme); the other themes and sizes with --slow (and every size of every page in the test below).
def in_default_run(case) -> bool:
    page, viewport = case
    if not page.theme:
        return True
    first, last = default_theme_slugs()
    return page.theme == first or (page.theme == last and viewport == PHONE)


@pytest.mark.parametrize("app_page,viewport", sweep(CASES, in_default_run, ids=[case_id(c) for c in CASES]))
def test_page_is_right_on_screen(session, app_page, viewport):
    problems = check_screen(session, app_page.path, app_page.name, viewport)
    assert not problems, f"{app_page.path} at {viewport}:\n" + "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("app_page,viewport", SLOW_CASES, ids=[case_id(c) for c in SLOW_CASES])
def test_page_is_right_on_every_screen(session, app_page, viewport):
    problems = check_screen(session, app_page.path, app_page.name, viewport)
    assert not problems, f"{app_page.path} at {viewport}:\n" + "\n".join(problems)


# -- the deck on a projector and on a phone -----------------------------------------------------
def deck_slides(lang: str = "en", story: list[str] | None = None) -> list[deck.Slide]:
    """The whole deck with SPOTLIGHT first, or the slides of a `story` (deck.parse_story's items)."""
    with i18n.using(lang):
        if story:
            codes = [item.removeprefix(deck.MEMBER) for item in story if item.startswith(deck.MEMBER)]
            return deck.build_story(story, load_themes(), {c: i18n.country_name(c, c) for c in codes})
        return deck.build_deck(load_themes(), SPOTLIGHT, i18n.country_name(SPOTLIGHT, "United Kingdom"))


def check_deck(
    session, viewport: str, lang: str = "en", numbers: list[int] | None = None, story: list[str] | None = None
) -> list[str]:
    """Every slide (or those `numbers`) right on the screen: nothing cut or wider than the window,
    every bar label readable and clear of the others, the language picker's choice whole, the
    navigation bar in one row, and axe on the kinds of slide. In English by default;
    test_i18n_browser runs it in es and fr.
    On a projector (1280x720 and up) a slide is one screen: nothing scrolls, nothing runs under
    the navigation bar or out of the space beside its chart, every slide number shows.
    On a phone (390x844) a slide is one column read by scrolling, longer than the screen, so
    "fits the screen" becomes: nothing under the bar once scrolled to its end (the bar never
    hides anything for good), no sideways scrolling, nothing cut, labels of at least 12 px (a
    phone in the hand, not a hall from its back) and the bar saying "4 / 14" instead of the numbers."""
    problems = []
    phone = viewport == PHONE
    slides = deck_slides(lang, story)
    deck_query = f"slides={','.join(story)}" if story else f"member={SPOTLIGHT}"
    for n in numbers or range(1, len(slides) + 1):
        slide = slides[n - 1]
        query = f"/present?{deck_query}&slide={n}" + (f"&lang={lang}" if lang != "en" else "")
        page = open_page(session, query, VIEWPORTS[viewport])
        page.wait_for_timeout(500)
        kind = "story" if story else "present"
        shoot(page, f"{kind}-{'' if lang == 'en' else lang + '-'}{n:02d}-{slide.slug}-{viewport}")
        fit = slide_fit(page, scrolled=phone)
        where = f"slide {n} ({slide.title}) {'' if lang == 'en' else 'in ' + lang + ' '}at {viewport}"
        if page.locator('[data-testid="stException"]').count():
            problems.append(f"{where}: an exception is shown")
        if not phone and fit["scroll"] > fit["visible"] + 2:
            problems.append(f"{where}: taller than the screen ({fit['scroll']} px in {fit['visible']} px)")
        if fit["over"]:
            problems.append(f"{where}: under the navigation bar or past the slide: {fit['over']}")
        if fit["spill"]:
            problems.append(f"{where}: runs out of the space beside the chart: {fit['spill']}")
        if fit["elided"]:
            problems.append(f"{where}: slide numbers hidden behind '…' in the navigation bar")
        if phone and (fit["pages"] or fit["count"] != [f"{n} / {len(slides)}"]):
            problems.append(f"{where}: the bar shows {fit['count']} and {fit['pages']} list(s) of numbers")
        if fit["navRows"] != 1:
            problems.append(f"{where}: the navigation bar has {fit['navRows']} rows")
        problems += [f"{where}: {p}" for p in layout_problems(page)]
        problems += [f"{where}: {p}" for p in label_problems(page, 12 if phone else 14)]
        problems += [f"{where}: {p}" for p in cut_selects(page)]
        problems += [f"{where}: chart text in a web font: {t}" for t in web_font_text(page)]
        unnamed = page.locator('[data-testid="stPlotlyChart"]:not([aria-label])').count()
        if unnamed:
            problems.append(f"{where}: {unnamed} chart(s) without alt text for screen readers")
        if n <= 4:  # spotlight, title, map, a theme: the kinds of slide
            problems += [f"{where}: axe: {v}" for v in axe_violations(page)]
        page.close()
    assert not session.errors, session.errors
    return problems


def test_deck_on_a_1280x720_projector(session):
    """The smallest projector in the default run, on the spotlight and the last slide (the title,
    map and theme slides at this size are checked in French, where text runs longest, by
    test_present_browser's story); every slide at this size and the larger ones with --slow."""
    problems = check_deck(session, "1280x720", numbers=[1, len(deck_slides())])
    assert not problems, "\n".join(problems)


def test_deck_on_a_phone(session):
    """A shared deck link opened on a phone: the kinds of slide (spotlight, title, map, a
    theme) right in the default run (every slide with --slow), and a tap on the bar's arrow
    moves to the next slide."""
    problems = check_deck(session, PHONE, numbers=[1, 2, 3, 4])
    assert not problems, "\n".join(problems)
    slides = deck_slides()
    page = open_page(session, f"/present?member={SPOTLIGHT}&slide=3", VIEWPORTS[PHONE])
    reset_idle(page)
    page.get_by_role("button", name="Next").click()
    page.locator("h1", has_text=slides[3].title).wait_for()
    assert (
        page.locator('.st-key-deck-nav [data-testid="stText"]').inner_text().strip() == f"4 / {len(slides)}"
    )
    assert "slide=4" in page.url


@pytest.mark.slow
@pytest.mark.parametrize("viewport", ["1280x720", "1440x900", "1920x1080", PHONE])
def test_every_slide_fits_the_screen(session, viewport):
    problems = check_deck(session, viewport)
    assert not problems, "\n".join(problems)


# -- 4. the exported PNG of the map keeps its colour bar and legend -----------------------------
LOCAL_MARKER = (0xD5, 0x5E, 0x00)  # ogp.render.maps.LOCAL_COLOR: the legend's last entry
COLOUR_BAR_END = (0x08, 0x30, 0x6B)  # the darkest blue of the map's scale (the colour bar's end)


def test_exported_map_keeps_its_legend(session):
    """The modebar's camera on the deck's map slide saves a 1920x1080 PNG with the colour bar
    and the legend under the map. The legend's last entry was cut in the image: plotly sized
    its box with the text in Streamlit's web font on the page, and the image (an SVG, which
    cannot use the page's fonts) drew it in a wider fallback. So no chart text may be in one of
    the page's web fonts (what the image draws is then what the page measured)."""
    page = open_page(session, "/present?slide=2", VIEWPORTS["1280x720"])
    assert not web_font_text(page), web_font_text(page)
    image = exported_png(page)
    assert image.size == (1920, 1080)
    w, h = image.size
    band = image.crop((0, int(h * 0.8), w // 2, h))  # under the map: colour bar, then legend
    colours = set(band.getdata())
    near = lambda c, ref: all(abs(a - b) < 30 for a, b in zip(c, ref))  # noqa: E731
    assert any(near(c, LOCAL_MARKER) for c in colours), "no local-members legend entry in the image"
    assert any(near(c, COLOUR_BAR_END) for c in colours), "no colour bar in the image"


# -- the member brief (a downloaded HTML file) ---------------------------------------------------
def test_member_brief_is_accessible(session):
    from pagetest import member_brief

    from ogp.data.store import Store

    html = member_brief(Store(), "GBR")
    page = session.new_page()
    page.set_content(html)
    shoot(page, "brief-GBR")
    problems = axe_violations(page, exclude=[])
    assert not problems, "\n".join(problems)
