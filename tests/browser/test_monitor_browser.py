"""/monitor and the digest in Debian's chromium, nothing but the app reachable.

The complaints these stand for: "the monitoring page broke when I picked my region", "the CSV I
downloaded did not match the list", "the digest I emailed loaded something from the internet"."""

from __future__ import annotations

import csv
import io
import re
import sys

import pytest
from ogp_browser import ROOT, Guard
from test_browser import assert_no_exception, settle

pytestmark = pytest.mark.browser

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ogp.data.store import Store  # noqa: E402
from ogp.model.filters import Filters  # noqa: E402
from ogp.render import digest, monitor, views  # noqa: E402


@pytest.fixture(scope="module")
def bundled():
    s = Store()
    yield s
    s.close()


def test_monitor_page_and_its_csv(session, bundled, tmp_path):
    report = views.monitor(bundled.query, bundled.snapshots, Filters(regions=("Europe",)))
    counts, changed = report.counts(), report.changed_total()
    # one row per commitment and kind of change (a commitment whose ratings changed is one row):
    # the CSV has as many rows as the headline counts
    rows_expected = counts["added"] + counts["dropped"] + counts["regrouped"] + counts["changed"]
    assert rows_expected == changed
    page = session.new_page()
    page.goto(session.url("/monitor?region=Europe"), wait_until="domcontentloaded")
    settle(page, session, "/monitor")
    assert_no_exception(page, "/monitor", session)
    assert page.get_by_role("heading", name="What needs attention").is_visible()
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Late action plans")
    assert metric.locator('[data-testid="stMetricValue"]').inner_text() == f"{counts['late']:,}"

    tab = page.get_by_role("tab", name=f"Changes ({changed:,})")
    tab.click()
    panel = page.get_by_role("tabpanel").filter(has_text="Download")
    button = page.get_by_role(
        "button",
        name=f"Download {rows_expected:,} rows as CSV",
    )
    button.wait_for(state="visible")
    assert panel.locator('[data-testid="stDataFrame"]').count() >= 1
    with page.expect_download() as download:
        button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert len(rows) == rows_expected
    assert {r["change"] for r in rows} <= set(monitor.CHANGE_KINDS)
    assert not session.blocked, f"/monitor tried to reach outside the machine: {session.blocked}"
    assert not session.errors, session.errors


def open_offline(browser, html: str):
    """The document in a fresh context where every request is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    guard = Guard("http://127.0.0.1:9").install(context)  # no app: nothing is allowed
    page = context.new_page()
    page.set_content(html, wait_until="load")
    page.wait_for_timeout(300)
    return context, page, guard


def test_digest_html_opens_offline_and_prints(browser, bundled):
    base = "https://dashboard.example.org/ogp"
    report = views.monitor(bundled.query, bundled.snapshots, Filters())
    html = digest.digest(bundled, fmt="html", base_url=base)
    context, page, guard = open_offline(browser, html)
    try:
        assert guard.blocked == [], guard.blocked
        assert report.previous and page.locator("section.part h2").all_inner_texts() == [
            "To follow up",
            f"What changed from {report.previous} to {report.current}",
            "Data gaps",
        ]
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert hrefs and all(h.startswith(base + "/") for h in hrefs), [
            h for h in hrefs if not h.startswith(base)
        ][:5]
        assert page.locator("script, link, img, iframe").count() == 0
        pdf = page.pdf(format="A4")
        assert (
            pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1
        )  # prints, A4 pages
    finally:
        context.close()
    # the check can fail: the same document with an outside image is caught
    context, page, guard = open_offline(
        browser, html.replace("<body>", '<body><img src="https://example.org/x.png">')
    )
    try:
        assert any("example.org" in u for u in guard.blocked), guard.blocked
    finally:
        context.close()
