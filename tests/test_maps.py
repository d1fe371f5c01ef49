"""Offline world map: bundled geometry (data/geo) and the MapLibre figure builders (ogp.render.maps).

The user complaints these stand for: "the map is blank at the summit" (no network trace type,
no URL), "Malta isn't on the map" (small states kept and drawn as markers), "France is grey"
(ISO_A3 is -99 for France/Norway), "clicking a country does nothing" (customdata -> code)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
import recompute
from shapely.geometry import shape

from ogp.data import geo
from ogp.data.store import Store
from ogp.model import i18n, text
from ogp.model.filters import Filters
from ogp.render import maps

OGP_SMALL_STATES = ("MLT", "CPV", "SYC", "LUX", "MNE", "TTO", "XKX")
KEY_COUNTRIES = OGP_SMALL_STATES + ("FRA", "NOR")


@pytest.fixture(scope="module")
def gj() -> dict:
    return geo.load_countries()


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    rows = [
        ("FRA", "France", "FRA", 3, 50.0),
        ("NOR", "Norway", "NOR", 3, 20.0),
        ("MLT", "Malta", "MLT", 1, None),
        ("CPV", "Cabo Verde", "CPV", 3, 100.0),
        ("XKX", "Kosovo", "XKX", 2, 0.0),
        ("UKR", "Ukraine", "UKR", 32, 40.0),
        ("KEN", "Kenya", "KEN", None, None),
        ("ZZZ", "Nowhere", "ZZZ", 4, None),
    ]
    df = pd.DataFrame(
        rows, columns=["member_code", "member_name", "iso3", "commitments", "high_completion_pct"]
    )
    return df.assign(kind="national")


@pytest.fixture(scope="module")
def locals_df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "member_code": ["ESMD", "GBSC", "XXNO"],
            "member_name": ["Madrid", "Scotland", "No seat"],
            "kind": "local",
            "iso3": ["ESP", "GBR", "ESP"],
            "lat": [40.42, 55.95, None],
            "lon": [-3.70, -3.19, None],
            "commitments": [1, 3, 2],
            "high_completion_pct": [None, 10.0, None],
        }
    )


@pytest.fixture(scope="module")
def fig(values, locals_df, gj):
    small = geo.country_table().query("small")
    return maps.world_choropleth(
        values,
        gj,
        value_col="commitments",
        label="Commitments",
        title="Commitments by member",
        hover_cols=("commitments", "high_completion_pct"),
        locals_df=locals_df,
        small_states=small,
    )


def member_traces(fig):
    """Traces a user can click: the ones with a hovertemplate (not the grey base, not halos)."""
    return [t for t in fig.data if t.hovertemplate]


# -- bundled geometry ---------------------------------------------------------------------
def test_geojson_is_small_enough_to_ship_and_send():
    assert geo.COUNTRIES_FILE.stat().st_size <= 600 * 1024


def test_every_geometry_is_valid_and_ids_are_unique_iso3(gj):
    ids = [f["id"] for f in gj["features"]]
    assert len(ids) == len(set(ids)) == 242
    assert "-99" not in ids and "KOS" not in ids
    for f in gj["features"]:
        g = shape(f["geometry"])
        assert g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty and g.is_valid, f["id"]
        assert f["properties"]["iso3"] == f["id"]


def test_ogp_small_states_and_iso_quirks_are_present(gj):
    by_id = {f["id"]: f for f in gj["features"]}
    for code in KEY_COUNTRIES:
        assert code in by_id, code
        assert shape(by_id[code]["geometry"]).area > 0, code
    assert by_id["FRA"]["properties"]["name"] == "France"
    assert by_id["NOR"]["properties"]["name"] == "Norway"
    assert by_id["XKX"]["properties"]["name"] == "Kosovo"
    for code in OGP_SMALL_STATES:
        assert by_id[code]["properties"]["small"] is True, code
    assert by_id["FRA"]["properties"]["small"] is False


def test_country_table_gives_a_point_on_each_small_state():
    t = geo.country_table()
    assert list(t.columns) == ["iso3", "name", "pop_est", "pop_year", "continent", "small", "lat", "lon"]
    assert t["iso3"].is_unique and len(t) == 242
    assert t["lat"].between(-90, 90).all() and t["lon"].between(-180, 180).all()
    gj = geo.load_countries()
    by_id = {f["id"]: shape(f["geometry"]) for f in gj["features"]}
    for code in OGP_SMALL_STATES:
        row = t.set_index("iso3").loc[code]
        minx, miny, maxx, maxy = by_id[code].bounds
        assert minx - 0.5 <= row["lon"] <= maxx + 0.5 and miny - 0.5 <= row["lat"] <= maxy + 0.5, code
    assert t.set_index("iso3").loc["FRA", "pop_est"] > 60_000_000
    t.loc[0, "name"] = "changed"  # a copy: the cached table is untouched
    assert geo.country_table().loc[0, "name"] != "changed"


def test_load_countries_reads_once():
    assert geo.load_countries() is geo.load_countries()


def test_build_keeps_tiny_islands_and_fixes_codes(tmp_path):
    """A synthetic Natural Earth file: a 200 m island that simplification and the 0.001° grid
    would erase, Kosovo with ISO_A3_EH -99, and a dependency sharing its parent's ISO code."""

    def feat(name, iso, adm0, home, geom):
        return {
            "type": "Feature",
            "properties": {
                "NAME": name,
                "ISO_A3_EH": iso,
                "ADM0_A3": adm0,
                "HOMEPART": home,
                "POP_EST": 1000.0,
                "CONTINENT": "Oceania",
                "LABEL_X": geom["coordinates"][0][0][0],
                "LABEL_Y": geom["coordinates"][0][0][1],
            },
            "geometry": geom,
        }

    def square(x, y, d):
        return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}

    src = tmp_path / "ne.geojson"
    src.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    feat("Tiny", "TNY", "TNY", 1, square(170.0, -8.0, 0.0018)),
                    feat("Kosovo", "-99", "KOS", 1, square(20.0, 42.0, 1.0)),
                    feat("Australia", "AUS", "AUS", 1, square(120.0, -30.0, 20.0)),
                    feat("Indian Ocean Ter.", "AUS", "IOA", -99, square(105.0, -10.0, 0.1)),
                ],
            }
        )
    )
    path = geo.build(src, tmp_path / "out")
    out = {f["id"]: f for f in json.loads(path.read_text())["features"]}
    assert set(out) == {"TNY", "XKX", "AUS", "IOA"}
    tiny = shape(out["TNY"]["geometry"])
    assert tiny.is_valid and tiny.area > 0
    assert out["TNY"]["properties"]["small"] and not out["AUS"]["properties"]["small"]


# -- the figure ---------------------------------------------------------------------------
def test_only_maplibre_traces_and_no_url(fig):
    assert {t.type for t in fig.data} <= {"choroplethmap", "scattermap"}
    assert fig.layout.map.style == "white-bg"
    text = fig.to_json()
    assert "http" not in text  # no tiles, no style URL, no glyphs, no topojson CDN
    assert all(t.mode == "markers" for t in fig.data if t.type == "scattermap")  # no text -> no glyphs
    assert all(t.marker.symbol in (None, "circle") for t in fig.data if t.type == "scattermap")


def test_figure_payload_and_each_country_sent_once(fig, gj):
    size = len(fig.to_json())
    print(f"world map figure JSON: {size / 1024:.0f} KB")
    assert size < 700 * 1024
    sent = [f["id"] for t in fig.data if t.type == "choroplethmap" for f in t.geojson["features"]]
    assert len(sent) == len(set(sent))
    assert set(sent) == {f["id"] for f in gj["features"]} - maps.EXCLUDED_FROM_MAP


def test_members_carry_their_code_for_clicks(fig, values, locals_df):
    codes = set()
    for t in member_traces(fig):
        for row in t.customdata:
            assert isinstance(row[0], str) and row[0]
            codes.add(row[0])
    drawn = {"FRA", "NOR", "MLT", "CPV", "XKX", "UKR", "KEN", "ESMD", "GBSC"}
    assert codes == drawn
    base = fig.data[0]
    assert not base.hovertemplate and base.hoverinfo == "skip" and set(base.customdata) == {""}
    assert "FRA" not in base.locations and "NOR" not in base.locations
    assert base.unselected.marker.opacity == 1  # a click does not fade the world to white


def test_values_colours_and_hover(fig):
    members = next(t for t in fig.data if t.name == "Members")
    z = dict(zip(members.locations, members.z))
    assert z["UKR"] == 32 and z["FRA"] == 3 and "KEN" not in z
    assert members.colorbar.title.text == "Commitments"
    assert members.zmin == 0 and members.zmax == 32
    no_data = next(t for t in fig.data if t.name == "Member, no data")
    assert list(no_data.locations) == ["KEN"] and no_data.customdata[0][2] == "no data"
    assert "Commitments: %{customdata[2]}" in members.hovertemplate
    assert "High completion (% of assessed): %{customdata[3]}" in members.hovertemplate
    row = next(r for r in members.customdata if r[0] == "FRA")
    assert list(row) == ["FRA", "France", "3", "50%"]  # a share reads as one (was "50": issue 27)


def test_small_states_and_local_members_are_markers(fig):
    small = [t for t in member_traces(fig) if t.name == "Small member states"]
    small_codes = {r[0] for t in small for r in t.customdata}
    assert {"MLT", "CPV", "XKX"} <= small_codes and not small_codes & {"FRA", "NOR", "UKR"}
    locals_ = next(t for t in fig.data if t.name == "Local members")
    assert [r[0] for r in locals_.customdata] == ["ESMD", "GBSC"]  # "No seat" has no point
    assert locals_.marker.color == maps.LOCAL_COLOR and locals_.showlegend


def test_layout_keeps_user_view_and_small_margins(fig):
    assert fig.layout.uirevision == maps.UIREVISION
    assert fig.layout.dragmode == "pan"
    assert fig.layout.margin.l == 0 and fig.layout.margin.r == 0
    b = fig.layout.map.bounds
    assert -180 < b.west < b.east < 180  # exactly ±180 makes MapLibre fail to draw
    assert "Commitments by member" in fig.layout.title.text


def test_alt_text_counts_members_and_names_the_highest(values, locals_df):
    text = maps.alt_text(values, value_col="commitments", label="Commitments", locals_df=locals_df)
    assert text.startswith("World map of 11 OGP members (8 national, 3 local) coloured by commitments")
    assert "highest: Ukraine (32)" in text and "lowest: Malta and Madrid (1)" in text
    assert "1 with no data" in text and text.endswith(".") and text.count(". ") == 0


def _share(part: int, whole: int) -> str:
    """The dashboard's rule for a share, written again here: whole percent, half up, with its
    sign; "<1%" / ">99%" at the ends; "no data" when nothing was assessed."""
    if not whole:
        return "no data"
    share = 100 * part / whole
    rounded = math.floor(share + 0.5)
    if share > 0 and rounded == 0:
        return "<1%"
    if share < 100 and rounded == 100:
        return ">99%"
    return f"{rounded}%"


def test_map_hover_shares_read_as_the_raw_export_gives_them(gj):
    """Issue 27: the map's hover said "High completion…: 85" and "Ambitious: 5.7" (no % sign,
    decimals unlike everywhere else). Each member's hover shares, against the 2024 export
    recounted from the raw CSV (tests/recompute.py), and in French with the French sign."""
    store = Store(recompute.ROOT / "data")
    by_member = store.query("by_member", **Filters(snapshot="2024-07-06").params())
    national = by_member[by_member["kind"] != "local"]
    hover = ("commitments", "high_completion_pct", "ambitious_pct")
    fig = maps.world_choropleth(
        national, gj, value_col="high_completion_pct", label="High completion", title="t", hover_cols=hover
    )
    raw = recompute.current()
    ambitious = raw.potential_impact.eq("Transformative") | raw.potential_for_results.eq("Substantial")
    rated = raw.potential_impact.notna() | raw.potential_for_results.notna()
    seen = set()
    for trace in fig.data:
        for code, _name, value, commitments, amb in trace.customdata if trace.hovertemplate else ():
            mine = raw.code == code
            done = _share(
                int(raw.completion[mine].isin(recompute.HIGH).sum()),
                int(raw.completion[mine].isin(recompute.ORDERED).sum()),
            )
            assert value == done, (code, value, done)  # the colour measure, a share
            assert amb == _share(int((ambitious & mine).sum()), int((rated & mine).sum())), code
            assert commitments == f"{int(mine.sum()):,}", code
            seen.add(code)
    drawn = national[national["iso3"].isin({f["id"] for f in gj["features"]})]
    assert seen == set(drawn["member_code"]) and len(seen) > 20
    assert any(
        c[2].endswith("%") and c[2] not in ("0%", "100%")
        for t in fig.data
        if t.hovertemplate
        for c in t.customdata
    )
    with i18n.using("fr"):
        row = national.dropna(subset=["high_completion_pct"]).iloc[0].to_dict()
        shown = maps.cell_text(row, "high_completion_pct")
        assert shown == text.pct(row["high_completion"], row["completion_assessed"], "fr")
        assert shown.endswith("%") and not shown[-2].isdigit()  # "85 %": the French sign, spaced


# -- clicks -------------------------------------------------------------------------------
# What st.plotly_chart(on_select="rerun") returns in Streamlit 1.67: plotly's plotly_selected
# points, data/fullData removed, legendgroup added, keys snake_cased (PlotlyChart frontend).
CHOROPLETH_CLICK = {
    "selection": {
        "points": [
            {
                "curve_number": 1,
                "point_number": 2,
                "point_index": 2,
                "location": "MLT",
                "z": 1,
                "ct": [14.43, 35.89],
                "customdata": ["MLT", "Malta", "1", "no data"],
            }
        ],
        "point_indices": [2],
        "box": [],
        "lasso": [],
    }
}
MARKER_CLICK = {
    "selection": {
        "points": [
            {
                "curve_number": 5,
                "point_number": 0,
                "point_index": 0,
                "lat": 40.42,
                "lon": -3.7,
                "customdata": ["ESMD", "Madrid", "1", "no data"],
                "legendgroup": "local",
            }
        ],
        "point_indices": [0],
        "box": [],
        "lasso": [],
    }
}


def test_selected_member_from_choropleth_and_marker_clicks():
    assert maps.selected_member(CHOROPLETH_CLICK) == "MLT"
    assert maps.selected_member(MARKER_CLICK) == "ESMD"


def test_selected_member_edge_cases():
    assert maps.selected_member(None) is None
    assert (
        maps.selected_member({"selection": {"points": [], "point_indices": [], "box": [], "lasso": []}})
        is None
    )
    base = {"selection": {"points": [{"curve_number": 0, "location": "RUS", "customdata": ""}]}}
    assert maps.selected_member(base) is None  # grey non-member layer
    bare = {"selection": {"points": [{"curve_number": 0, "location": "KEN", "z": 3}]}}
    assert maps.selected_member(bare) == "KEN"  # a choropleth without customdata
    scalar = {"selection": {"points": [{"lat": 1.0, "lon": 2.0, "customdata": "GBSC"}]}}
    assert maps.selected_member(scalar) == "GBSC"
    assert (
        maps.selected_member({"selection": {"points": [{"customdata": math.nan, "location": "X"}]}}) is None
    )


def test_selected_member_reads_streamlits_state_object():
    pc = pytest.importorskip("streamlit.elements.plotly_chart")
    state = pc.PlotlyState({"selection": pc.PlotlySelectionState(CHOROPLETH_CLICK["selection"])})
    assert maps.selected_member(state) == "MLT"
