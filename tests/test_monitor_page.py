"""/monitor with AppTest on the bundled data: the counts shown are the report's, the sidebar
filters scope every list, the oldest snapshot says it has nothing to compare with."""

from __future__ import annotations

import re

from pagetest import assert_clean, run_page

from ogp.data.store import Store
from ogp.model.filters import Filters
from ogp.render import monitor, views


def open_monitor(**query):
    """/monitor?query, as a browser opens it."""
    return run_page("pages/monitor.py", **query)


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def expected_report(**kw) -> monitor.Report:
    s = Store()
    try:
        return views.monitor(s.query, s.snapshots, Filters(**kw))
    finally:
        s.close()


def expected(**kw) -> dict:
    s = Store()
    try:
        r = views.monitor(s.query, s.snapshots, Filters(**kw))
        c = r.counts()
    finally:
        s.close()
    return {
        "Late action plans": f"{c['late']:,}",
        "Awaiting assessment": f"{c['awaiting']:,}",
        "At risk": f"{c['at_risk']:,}",
        "Changed": f"{r.changed_total():,}",
        "Data gaps": f"{c['gaps']:,}",
    }


def test_monitor_page_shows_the_reports_counts_and_lists():
    at = open_monitor()
    assert_clean(at)
    assert at.title[0].value == "What needs attention"
    assert metrics(at) == expected()
    assert [t.label.split(" (")[0] for t in at.tabs] == [
        "Late plans",
        "Awaiting assessment",
        "At risk",
        "Changes",
        "Data gaps",
    ]
    assert "2017-03-30 to that of 2024-07-06" in at.caption[0].value
    # Both bundled snapshots are extracts (issue 24): the page says so, names no plan late (the
    # United States' plan 2 is only its latest *in the extract*) and lists nothing as dropped.
    captions = " ".join(c.value for c in at.caption)
    assert "These snapshots are extracts: 2017\\-03\\-30, commitments of the action plans" in captions
    assert metrics(at)["Late action plans"] == "0"
    assert any(i.value.startswith("No late action plans can be named") for i in at.info)
    assert "1,758 commitments of 2017-03-30 are not in the extract of 2024-07-06" in captions
    # each list with rows has its table and its CSV
    assert len(at.dataframe) >= 4 and len(at.get("download_button")) >= 3
    awaiting = at.dataframe[0].value  # the plans awaiting assessment, each linked to its member's page
    assert len(awaiting) == int(metrics(at)["Awaiting assessment"])
    assert awaiting["member"].str.contains("/members?member=", regex=False).all()
    assert "LVA" not in set(awaiting["member"].str[-3:])  # Latvia's plan 2 had not ended in 2017


def test_every_headline_count_equals_its_tab_its_list_and_its_csv():
    at = open_monitor()
    shown = metrics(at)
    tabs = {t.label.split(" (")[0]: t.label.split(" (")[1].rstrip(")") for t in at.tabs}
    assert tabs == {
        "Late plans": shown["Late action plans"],
        "Awaiting assessment": shown["Awaiting assessment"],
        "At risk": shown["At risk"],
        "Changes": shown["Changed"],
        "Data gaps": shown["Data gaps"],
    }
    # the CSV buttons say how many rows they write (len() of the frame written)
    got = {
        b.key.removeprefix("csv-"): re.search(r"Download ([\d,]+) rows? as CSV", b.label).group(1)
        for b in at.get("download_button")
    }
    assert got == {
        "awaiting": shown["Awaiting assessment"],
        "changes": shown["Changed"],
        "gaps": shown["Data gaps"],
    }
    r = expected_report()
    assert len(monitor.described_changes(r.changes)) == r.changed_total()


def test_monitor_page_is_scoped_by_the_sidebar():
    at = open_monitor(members="GBR", snapshot="2024-07-06")
    assert_clean(at)
    assert metrics(at) == expected(snapshot="2024-07-06", members=("GBR",))
    at = open_monitor(region="Americas", theme="anti-corruption")
    assert_clean(at)
    assert metrics(at) == expected(regions=("Americas",), theme="anti-corruption")


def test_oldest_snapshot_has_nothing_to_compare_with():
    at = open_monitor(snapshot="2017-03-30")
    assert_clean(at)
    assert any("no snapshot before 2017-03-30" in i.value for i in at.info)
