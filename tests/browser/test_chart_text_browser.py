"""Chart text a person can read (issue 27 item 8): on a theme page the y-axis titles ran into
the chart titles and the bars' labels ("50% (5 of 10)") were shrunk by plotly to 3 px; a member's
plan labels ("13 commitments") to 2 px. Every label at 12 px or more, no axis title over a title."""

from __future__ import annotations

import pytest
from ogp_browser import wait_idle
from screen_checks import label_problems, layout_problems

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/open-budgets", "/members?member=ESP"])
@pytest.mark.parametrize("size", [(1280, 720), (390, 844)])
def test_chart_text_is_readable(session, path, size):
    page = session.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(session.url(path), wait_until="domcontentloaded")
    wait_idle(page)
    small = [p for p in label_problems(page, 12) if "drawn at" in p]
    assert small == [], small
    titles = [p for p in layout_problems(page) if "y-axis title" in p]
    assert titles == [], titles
