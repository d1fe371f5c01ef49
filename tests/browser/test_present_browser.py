"""The summit deck in a real browser, offline: arrow keys move the slides and the URL, a reload
reopens the slide, and a chart's camera button saves a named 1920x1080 PNG. The complaint this
stands for: "the clicker did nothing and the slide I saved was a thumbnail"."""

from __future__ import annotations

import struct

import pytest
from ogp_browser import Guard, wait_idle

from ogp import deck
from ogp.themes import load_themes

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
