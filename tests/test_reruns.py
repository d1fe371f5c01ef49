"""Cheaper reruns: the map outlines are a static file the browser fetches once, and figures
are built once and shared (ogp.app.ui.chart, ogp.app.ui.world_map)."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
from pagetest import assert_clean, run_page

from ogp.app import cache, ui
from ogp.data import geo
from ogp.model.filters import Filters
from ogp.render import charts, deck


def test_static_outlines_are_the_bundled_geometry():
    """static/countries.json is derived from data/geo/countries.geojson (ids and outlines):
    `python -m ogp.data.geo static` rewrites it after the geometry changes."""
    assert geo.MAP_GEOMETRY_FILE.read_text(encoding="utf-8") == geo.map_geometry_text()
    served = json.loads(geo.MAP_GEOMETRY_FILE.read_text(encoding="utf-8"))
    source = geo.load_countries()
    assert [f["id"] for f in served["features"]] == [f["id"] for f in source["features"]]
    assert all("properties" not in f for f in served["features"])


def test_map_names_the_outlines_instead_of_carrying_them():
    """The overview's map is a few kB: its polygon traces point at the served outlines, and
    every country they colour is in that file."""
    at = run_page("pages/overview.py", timeout=120)
    assert_clean(at)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    world = [s for s in specs if any(t["type"] == "choroplethmap" for t in s["data"])]
    assert len(world) == 1
    polygons = [t for t in world[0]["data"] if t["type"] == "choroplethmap"]
    assert {t["geojson"] for t in polygons} == {"/app/static/countries.json"}
    ids = {f["id"] for f in json.loads(geo.MAP_GEOMETRY_FILE.read_text(encoding="utf-8"))["features"]}
    located = {loc for t in polygons for loc in t["locations"]}
    assert located and located <= ids
    assert len(json.dumps(world[0])) < 60_000  # the outlines alone are 380 kB


def test_a_rerun_reuses_the_built_figures():
    """A second run of a page builds no figure: the same objects come back from the cache."""
    at = run_page("pages/overview.py", timeout=120)
    first = [c.proto.spec for c in at.get("plotly_chart")]
    calls = []
    original = go.Figure.__init__

    def counting(self, *a, **k):
        calls.append(type(self).__name__)
        original(self, *a, **k)

    go.Figure.__init__ = counting
    try:
        at.run()
    finally:
        go.Figure.__init__ = original
    assert [c.proto.spec for c in at.get("plotly_chart")] == first
    assert calls == []


def test_frozen_figure_is_not_changed_by_the_deck():
    df = pd.DataFrame(
        {"year_submitted": [2012, 2013], "completion": ["Complete", "Limited"], "commitments": [3, 4]}
    )
    built = charts.levels_bar(
        df,
        x="year_submitted",
        level="completion",
        count="commitments",
        scale="completion",
        title="T",
        x_label="Year",
    )
    expected = built.fig.to_dict()
    frozen = cache.FrozenFigure.freeze(built.fig)
    assert frozen.to_dict() == expected
    before = json.dumps(expected, sort_keys=True, default=str)
    big = deck.projector(charts.Chart(frozen, built.alt, built.data, built.name))
    assert big.fig.layout.height == deck.CHART_HEIGHT
    assert json.dumps(frozen.to_dict(), sort_keys=True, default=str) == before


def test_a_frozen_figure_sends_the_json_plotly_would():
    """The JSON kept with a frozen figure is what Plotly makes of the figure (what
    st.plotly_chart sends), and it is made once, not on every rerun."""
    df = pd.DataFrame({"member_name": ["Kenya", "Chile"], "commitments": [3, 5]})
    built = charts.ranking_bar(df, label="member_name", value="commitments", x_label="C", title="T")
    expected = cache._plotly_to_json(built.fig, validate=False)
    frozen = cache.FrozenFigure.freeze(built.fig)
    import plotly.io as pio

    assert pio.to_json(frozen.to_dict(), validate=False) == expected
    assert pio.to_json(frozen.to_dict(), validate=False) is frozen.to_dict().json
    assert pio.to_json({"data": [], "layout": {}}, validate=False) == '{"data":[],"layout":{}}'


def test_a_charts_data_is_one_click_away_and_made_only_when_opened():
    """A chart's data expander sends its table only once opened (opening it reruns the page):
    closed, the overview sends no table; opened, the chart's rows and a CSV download."""
    at = run_page("pages/overview.py", timeout=120)
    assert_clean(at)
    label = next(
        e.label for e in at.expander if e.label.startswith("Data: Completion of commitments by year")
    )
    assert len(at.dataframe) == 0 and len(at.get("download_button")) == 0
    at.session_state["overview-year-data-open"] = True
    at.run()
    assert_clean(at)
    box = next(e for e in at.expander if e.label == label)
    table = box.dataframe[0].value
    assert {"Year of submission", "Completion", "Commitments"} <= set(table.columns), table.columns
    assert table["Commitments"].sum() == ui.run("completion_by_year", Filters())["commitments"].sum()
    assert len(box.get("download_button")) == 1
    assert len(at.dataframe) == 1  # the other charts' data stay closed


def test_where_the_numbers_come_from_is_made_when_opened():
    """The overview's sources (every snapshot, its files and figures) are one click away and
    made only once opened."""
    at = run_page("pages/overview.py", timeout=120)
    box = next(e for e in at.expander if e.label == "Where these numbers come from")
    assert len(box.markdown) == 0
    at.session_state["overview-sources"] = True
    at.run()
    assert_clean(at)
    box = next(e for e in at.expander if e.label == "Where these numbers come from")
    text = " ".join(m.value for m in box.markdown)
    for name in ui.get_store().snapshot_names:
        assert f"**{name}**" in text
    assert ui.escape_md("open_parliament_0703.csv") in text


# -- ui.shared: the caches a rerun asks a few dozen times ----------------------------------------
def test_shared_keeps_one_value_per_key_by_value_not_by_underscored_arguments():
    calls = []

    @ui.shared(max_entries=2)
    def f(version, params, _data):
        calls.append((version, params))
        return object()

    first = f((1,), {"region": ["Europe"]}, pd.DataFrame({"a": [1]}))
    assert f((1,), {"region": ["Europe"]}, pd.DataFrame({"a": [2]})) is first  # _data is not the key
    assert f((2,), {"region": ["Europe"]}, None) is not first  # a new data version
    f((3,), {}, None)  # a third key: the least recently used (version 1) goes
    assert f((1,), {"region": ["Europe"]}, None) is not first
    assert len(calls) == 4
    f.clear()
    f((3,), {}, None)
    assert len(calls) == 5


def test_shared_does_not_keep_a_failure():
    outcomes = iter([ValueError("store busy"), "ok"])

    @ui.shared(max_entries=4)
    def g(key):
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    try:
        g("k")
    except ValueError:
        pass
    assert g("k") == "ok"


def test_shared_costs_a_rerun_far_less_than_streamlits_cache(tmp_path):
    """Why the hot caches are ui.shared: a hit with the arguments a chart is asked with, timed in
    one run under a script run (AppTest), the fastest of seven rounds each (a round preempted on
    this shared machine failed the claim once): Streamlit's cache_resource hashes every argument
    and inspects the function on every call. Prints both; the ratio is the claim."""
    from streamlit.testing.v1 import AppTest

    script = tmp_path / "cost.py"
    script.write_text(
        "import time\n"
        "import streamlit as st\n"
        "from ogp.app import ui\n"
        "args = ((1, '2026-06-01'), 'en', 'ogp.render.charts.compare_bars', ('x',), "
        "{'category': 'measure', 'value': 'percent', 'title': 'A chart'}, None)\n"
        "@st.cache_resource(max_entries=16)\n"
        "def streamlit_cache(version, lang, name, args, kwargs, _data):\n"
        "    return 1\n"
        "@ui.shared(max_entries=16)\n"
        "def shared_cache(version, lang, name, args, kwargs, _data):\n"
        "    return 1\n"
        "def per_call(f, n=100, rounds=7):\n"  # the fastest of 7 rounds: a preempted round on a busy machine is not the cost
        "    f(*args)\n"
        "    best = float('inf')\n"
        "    for _ in range(rounds):\n"
        "        t = time.perf_counter()\n"
        "        for _ in range(n):\n"
        "            f(*args)\n"
        "        best = min(best, (time.perf_counter() - t) / n * 1e6)\n"
        "    return best\n"
        "st.session_state['us'] = (per_call(streamlit_cache), per_call(shared_cache))\n"
    )
    at = AppTest.from_file(str(script), default_timeout=60).run()
    assert not at.exception
    streamlit_us, shared_us = at.session_state["us"]
    print(f"cache hit: st.cache_resource {streamlit_us:.1f} us, ui.shared {shared_us:.2f} us")
    assert shared_us * 20 < streamlit_us
