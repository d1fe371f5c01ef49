"""/monitor with AppTest on the bundled data: the counts shown are the report's, the sidebar
filters scope every list, the oldest snapshot says it has nothing to compare with."""

from __future__ import annotations

from pagetest import assert_clean, run_page

from ogp import monitor
from ogp.filters import Filters
from ogp.store import Store


def open_monitor(**query):
    """/monitor?query, as a browser opens it."""
    return run_page("pages/monitor.py", **query)


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def expected(**kw) -> dict:
    s = Store()
    try:
        r = monitor.build(s, Filters(**kw))
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
    assert int(metrics(at)["Late action plans"]) > 0
    # each list with rows has its table and its CSV
    assert len(at.dataframe) >= 4 and len(at.get("download_button")) >= 4
    late = at.dataframe[0].value  # the late plans, each linked to its member's page
    assert len(late) == int(metrics(at)["Late action plans"])
    assert late["member"].str.contains("/members?member=", regex=False).all() and "USA" in set(
        late["member"].str[-3:]
    )


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
