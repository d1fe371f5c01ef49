"""The summit deck in a real browser, offline: arrow keys move the slides and the URL, a reload
reopens the slide, and a chart's camera button saves a named 1920x1080 PNG. The complaint this
stands for: "the clicker did nothing and the slide I saved was a thumbnail"."""

from __future__ import annotations

import struct

import pytest
from ogp_browser import Guard, reset_idle, wait_idle
from test_screens import check_deck, open_page

from ogp.model import urls
from ogp.model.themes import load_themes
from ogp.render import deck

pytestmark = pytest.mark.browser
SLIDES = deck.build_deck(load_themes())


def test_arrow_keys_url_and_png(browser, server, tmp_path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    guard = Guard(server.url).install(context)
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)  # the first run opens the store; CI machines are busy
        page.goto(f"{server.url}/present?slide=3")
        heading = page.locator("h1").first
        heading.filter(has_text=SLIDES[2].title).wait_for()
        wait_idle(page)  # the shortcuts are live once the script run is over
        page.mouse.click(1800, 500)  # the page, not a widget, has the focus
        page.keyboard.press("ArrowRight")
        heading.filter(has_text=SLIDES[3].title).wait_for()
        page.wait_for_function("location.search.includes('slide=4')")
        wait_idle(page)
        page.keyboard.press("ArrowLeft")
        heading.filter(has_text=SLIDES[2].title).wait_for()
        page.reload()  # the URL reopens the slide
        heading.filter(has_text=SLIDES[2].title).wait_for()
        wait_idle(page)
        page.locator(".js-plotly-plot").first.hover()
        with page.expect_download() as download:
            page.locator('.modebar-btn[data-title^="Download"]').first.click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
    finally:
        context.close()
    assert (
        saved.name
        == f"ogp-summit-{SLIDES[2].theme.short.lower().replace(' ', '-')}-against-all-commitments.png"
    )
    head = saved.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (1920, 1080)
    assert not guard.blocked, guard.blocked


# -- a story: the slides a link names, in its order ------------------------------------------------
STORY = ["title", "map", "member:ESP", "theme:open-budgets"]


def test_a_story_on_a_1280x720_projector_in_french(session):
    """The issue's own story link, in French on the smallest projector: each slide right on the
    screen as the whole deck's are (test_screens.check_deck), numbered 1..4."""
    problems = check_deck(session, "1280x720", "fr", story=STORY)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("viewport, lang", [("1440x900", "es"), ("1920x1080", "en"), ("390x844", "es")])
def test_a_story_on_every_screen(session, viewport, lang):
    problems = check_deck(session, viewport, lang, story=STORY)
    assert not problems, "\n".join(problems)


def test_story_editor_in_the_browser(session):
    """Edit story: move a slide earlier with its arrow; the address bar's link is the new story
    and a reload of it shows the slides in the new order."""
    page = open_page(session, f"/present?slides={','.join(STORY)}&slide=3", {"width": 1440, "height": 900})
    page.locator("h1", has_text="Spain").wait_for()
    page.locator(".st-key-deck-story button").first.click()
    reset_idle(page)
    page.locator(".st-key-story-up-2 button:visible").first.click()  # Spain, one earlier
    page.wait_for_function("decodeURIComponent(location.search).includes('title,member:ESP,map')")
    wait_idle(page)
    assert page.locator("h1").first.inner_text() == "Spain"  # still on screen, now slide 2
    assert "slide=2" in page.url
    page.reload()
    page.locator("h1", has_text="Spain").wait_for()
    wait_idle(page)
    numbers = page.locator('.st-key-deck-nav [data-testid^="stPaginationPage"]').all_inner_texts()
    assert numbers == ["1", "2", "3", "4"]
    assert not session.errors, session.errors


def test_present_this_opens_the_deck_on_that_slide(session):
    page = open_page(session, "/members?member=ESP")
    page.get_by_role("link", name="Present this").click()
    page.locator("h1", has_text="Spain").wait_for()
    wait_idle(page)
    assert urls.SLIDES + "=member" in page.url
    assert page.locator('.st-key-deck-nav [data-testid^="stPaginationPage"]').all_inner_texts() == ["1"]
    assert not session.errors, session.errors
