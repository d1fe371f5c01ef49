"""The commitments' Page -/+ stepper above the table (issue 27 item 7): "the table's toolbar
covers '+' when I move the pointer up from the table, and '+' does nothing". The toolbar shows
over the table's top right corner while the pointer is over the table and stays for a moment
after; a reader moving up to '+' must reach '+' and get the next page."""

from __future__ import annotations

import pytest
from ogp_browser import reset_idle, wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_plus_above_the_table_turns_the_page(session, size):
    page = session.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(session.url("/commitments"), wait_until="domcontentloaded")
    wait_idle(page)
    plus = page.locator('[data-testid="stNumberInput"] button').last
    plus.scroll_into_view_if_needed()
    target = plus.bounding_box()
    box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    assert box["y"] + 60 < size[1], box  # the table's first rows on screen under the stepper
    page.mouse.move(box["x"] + box["width"] - 30, box["y"] + 60)  # over the table: its toolbar shows
    page.wait_for_timeout(300)
    x, y = target["x"] + target["width"] / 2, target["y"] + target["height"] / 2
    page.mouse.move(x, y, steps=8)  # up to "+", through the toolbar's place
    on_top = page.evaluate(
        "([x, y]) => { const e = document.elementFromPoint(x, y); return e.closest('[data-testid=stNumberInput]') ? 'stepper' : (e.closest('[data-testid]') || e).getAttribute('data-testid'); }",
        [x, y],
    )
    assert on_top == "stepper", on_top  # was stElementToolbar: the toolbar over "+"
    reset_idle(page)  # the URL changes before the rerun has drawn page 2: wait for that rerun
    page.mouse.click(x, y)
    page.wait_for_function("location.search.includes('page=2')", timeout=30_000)
    wait_idle(page)
    # the caption under the stepper names the page shown (it fails if '+' did not turn the page)
    page.get_by_text("Page 2 of", exact=False).first.wait_for(timeout=30_000)
    assert page.get_by_text("Page 1 of", exact=False).count() == 0
