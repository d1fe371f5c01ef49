"""/data in Debian's chromium, nothing but the app reachable: the complaint it stands for is "I
imported last year's IRM database and cannot see what the importer did with it"."""

from __future__ import annotations

import json

import pytest
from ogp_browser import ROOT
from test_browser import assert_no_exception, settle

pytestmark = pytest.mark.browser


def test_data_page_shows_snapshots_coverage_and_reports(session):
    manifest = json.loads((ROOT / "data" / "snapshots" / "2017-03-30" / "manifest.json").read_text("utf-8"))
    page = session.new_page()
    page.goto(session.url("/data"), wait_until="domcontentloaded")
    settle(page, session, "/data")
    assert_no_exception(page, "/data", session)
    assert page.get_by_role("heading", name="Data", exact=True).is_visible()
    assert page.get_by_role("heading", name="Coverage of each rating").is_visible()
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2
    link = page.locator('[data-testid="stMain"]').get_by_role("link", name="Methodology")
    assert link.get_attribute("href").endswith("/methodology")

    expander = page.locator('[data-testid="stExpander"]').filter(has_text="2017-03-30")
    expander.locator("summary").click()
    report = expander.get_by_text("ogpirm_live_data.csv: legacy IRM explorer table", exact=False).first
    report.wait_for(state="visible")
    assert expander.get_by_text("rows: 1927 read, 1927 kept").is_visible()
    last_warning = manifest["warnings"][-1].split(": ", 1)[1]
    assert expander.get_by_text(last_warning, exact=False).first.is_visible()
    assert not session.blocked, session.blocked
    assert not session.errors, session.errors
