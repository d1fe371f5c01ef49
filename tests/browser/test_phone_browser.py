"""On a phone (390x844): a commitment tapped in the search results opens at its title, not at
the scroll position of the table it was picked from."""

from __future__ import annotations

import pytest
from ogp_browser import wait_idle
from test_browser import assert_no_exception

pytestmark = pytest.mark.browser

MAIN = "document.querySelector('[data-testid=stMain]')"


def test_a_tapped_search_result_opens_at_its_title(session):
    page = session.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(session.url("/commitments?q=budget"))
    wait_idle(page)
    assert_no_exception(page, "/commitments?q=budget", session)
    grid = page.locator('[data-testid="stDataFrame"]').first
    top = grid.bounding_box()["y"]
    page.evaluate(f"{MAIN}.scrollTo(0, {int(top) - 160})")  # the table near the top of the screen
    page.wait_for_timeout(500)
    assert page.evaluate(f"{MAIN}.scrollTop") > 200
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 38 + 17)  # the first row's selection box
    page.wait_for_url("**id=**")
    wait_idle(page)
    title = page.locator("h1").first.bounding_box()
    assert page.evaluate(f"{MAIN}.scrollTop") == 0
    assert 0 <= title["y"] < 844
