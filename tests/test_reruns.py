"""Cheaper reruns: the map outlines are a static file the browser fetches once, and figures
are built once and shared (ogp.ui.chart, ogp.ui.world_map)."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
from pagetest import assert_clean, run_page

from ogp import charts, deck, geo, ui
from ogp.filters import Filters


def test_static_outlines_are_the_bundled_geometry():
    """static/countries.json is derived from data/geo/countries.geojson (ids and outlines):
    `python -m ogp.geo static` rewrites it after the geometry changes."""
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
    frozen = ui.FrozenFigure.freeze(built.fig)
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
    expected = ui._plotly_to_json(built.fig, validate=False)
    frozen = ui.FrozenFigure.freeze(built.fig)
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
