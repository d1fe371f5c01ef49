"""World map figure builders: DataFrame + bundled GeoJSON -> plotly Figure. No Streamlit here.

Only MapLibre traces (``Choroplethmap``, ``Scattermap``) on ``map_style="white-bg"``: they draw
from the figure's own GeoJSON and request nothing from the network (plotly ``geo`` traces fetch
a topojson from a CDN and stay blank offline). No text on the map (MapLibre would fetch glyphs),
no marker symbol but ``circle`` (the others are sprite icons, fetched too): names go in hovers.

Each country's geometry is sent once per figure: non-members (grey base layer), members with a
value and members without one are three disjoint subsets of the features.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ogp.model import i18n, measures, text
from ogp.model.i18n import N_, _, ngettext
from ogp.render.charts import FONT, MODEBAR

# -- look -----------------------------------------------------------------------------------
MAP_STYLE = "white-bg"  # no basemap, no tiles, no request; the ocean is white
# ColorBrewer Blues without its two palest steps (they would read as "no member"): sequential,
# single hue, colour-blind safe, dark = more.
COLOR_SCALE = [
    [0.0, "#c6dbef"],
    [0.2, "#9ecae1"],
    [0.4, "#6baed6"],
    [0.6, "#4292c6"],
    [0.8, "#2171b5"],
    [1.0, "#08306b"],
]
NON_MEMBER_COLOR = "#e4e4e4"  # countries not in the data: the world's shape only
NO_DATA_COLOR = "#b5b5b5"  # members with no value for this measure
BORDER_COLOR = "#ffffff"
BORDER_WIDTH = 0.5
LOCAL_COLOR = "#d55e00"  # Okabe-Ito vermillion: stands out from the blues
HALO_COLOR = "#333333"  # ring under every marker so light ones show on white
LOCAL_SIZE = 10
SMALL_STATE_SIZE = 11
HALO_EXTRA = 4  # halo diameter = marker size + this (pixels)
# After a click plotly dims what was not clicked (plotly's default leaves the grey world at
# 0.2 opacity, i.e. almost white): members dim a little, the world stays.
UNSELECTED_OPACITY = 0.5
KEEP = {"marker": {"opacity": 1.0}}
DIM = {"marker": {"opacity": UNSELECTED_OPACITY}}
# A phone's map shows about 150 degrees of longitude: centred west of Greenwich it opens on the
# Americas, Europe and Africa (centred at 0 the Americas were off-screen). A wide map shows the
# whole world whatever the centre (MapLibre keeps the view inside WORLD_BOUNDS).
WORLD_CENTER = {"lat": 22.0, "lon": -40.0}
# A floor: MapLibre zooms in until the chart's view lies inside WORLD_BOUNDS. A phone's 358 px
# show the whole world's width at zoom log2(358/512) = -0.52 (512 px: the world at zoom 0).
WORLD_ZOOM = -1.0
# Panning/zoom limits (MapLibre maxBounds): no repeated copies of the continents. MapLibre keeps
# the view inside them: with their height too short for the chart's (south -58, north 84 before)
# it zoomed in until that height filled the chart, and a phone's map cut Asia-Pacific off
# (Indonesia, the Philippines, Mongolia, Australia). From -80 to 85 a phone's map (its height
# follows its width: ui.MAP_CSS) shows every continent; Antarctica is not drawn (white).
WORLD_BOUNDS = {"west": -179.999, "east": 179.999, "south": -80.0, "north": 85.0}
MAP_HEIGHT = 600
MARGIN = {"l": 0, "r": 0, "b": 92}  # below the map: colour bar, then the legend; the top holds the title
TITLE_SIZE, TITLE_LINE = 17, 22  # px
UIREVISION = "ogp-world-map"  # keeps the user's pan/zoom across Streamlit reruns
EXCLUDED_FROM_MAP = frozenset({"ATA"})  # Antarctica: off-screen at world zoom, heavy geometry
ISO3_ALIASES = {"KOS": "XKX"}  # Natural Earth ADM0_A3 -> the ISO code OGP uses
CREDIT = N_("Boundaries: Natural Earth (public domain)")


# -- helpers ---------------------------------------------------------------------------------
def format_value(value: Any, value_format: str | None = None) -> str:
    """Number as shown in hovers and alt text: `value_format` (a format spec such as ",.1f"),
    else integers with thousands separators and other numbers with one decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return _("no data")
    try:
        if pd.isna(value):
            return _("no data")
    except (TypeError, ValueError):
        pass
    if value_format:
        return format(value, value_format)
    if isinstance(value, (int, float)) or hasattr(value, "__float__"):
        v = float(value)
        return i18n.number(int(v)) if v.is_integer() else i18n.decimal(v, 1)
    return str(value)


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def cell_text(rec: Mapping, col: str, value_format: str | None = None) -> str:
    """`rec[col]` as a hover or the alt text shows it. A share (a `*_pct` column, e.g.
    `high_completion_pct`) follows the dashboard's one rule for shares (ogp.model.text.pct: a whole
    percent with its sign, "<1%" and ">99%" at the ends), from its count and denominator when the
    row has them (ogp.model.measures), so the map says "85%" where the tiles and tables say it."""
    value = rec.get(col)
    if col.endswith("_pct") and not value_format:
        measure = measures.BY_KEY.get(col.removesuffix("_pct"))
        if measure and measure.denominator and measure.key in rec and measure.denominator in rec:
            whole = rec[measure.denominator]
            if not _missing(whole) and whole:
                return text.pct(rec[measure.key], whole)
        if value is None or _missing(value):
            return _("no data")
        return text.pct(float(value), 100)
    return format_value(value, value_format)


def _hover_columns(hover_cols: Iterable, value_col: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for item in hover_cols or ():
        col, lab = (item, text.column_label(item)) if isinstance(item, str) else (item[0], item[1])
        if col != value_col and col not in (c for c, _ in out):
            out.append((col, lab))
    return out


def _iso3(df: pd.DataFrame) -> pd.Series:
    codes = df["iso3"] if "iso3" in df.columns else df["member_code"]
    codes = codes.where(codes.notna(), df["member_code"]) if "member_code" in df.columns else codes
    return codes.astype("string").str.upper().replace(ISO3_ALIASES)


def _is_local(df: pd.DataFrame) -> pd.Series:
    if "kind" not in df.columns:
        return pd.Series(False, index=df.index)
    return df["kind"].astype("string").str.lower().eq("local").fillna(False).astype(bool)


def _name(row: Mapping) -> str:
    name = row.get("member_name")
    return str(name) if name is not None and not pd.isna(name) else str(row.get("member_code"))


def _customdata(
    df: pd.DataFrame, value_col: str, hover: list[tuple[str, str]], value_format: str | None
) -> list[list[str]]:
    """Per point: [member_code, name, value text, hover column texts...]; index 0 is what a
    click returns (see selected_member)."""
    rows = []
    for rec in df.to_dict("records"):
        cells = [str(rec.get("member_code")), _name(rec), cell_text(rec, value_col, value_format)]
        cells += [cell_text(rec, c) if c in rec else "" for c, _ in hover]
        rows.append(cells)
    return rows


def _hovertemplate(label: str, hover: list[tuple[str, str]], kind: str = "") -> str:
    lines = [
        "<b>%{customdata[1]}</b>" + (f" <i>({kind})</i>" if kind else ""),
        f"{label}: %{{customdata[2]}}",
    ]
    lines += [f"{lab}: %{{customdata[{i + 3}]}}" for i, (_, lab) in enumerate(hover)]
    return "<br>".join(lines) + "<extra></extra>"


def _collection(features: list[dict]) -> dict:
    # id + geometry only: properties would ride along in every render and every click payload
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "id": f["id"], "geometry": f["geometry"]} for f in features],
    }


def _value_range(values: pd.Series) -> tuple[float, float]:
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        return 0.0, 1.0
    lo, hi = float(v.min()), float(v.max())
    lo = min(lo, 0.0)  # counts and shares read from zero
    return lo, hi if hi > lo else lo + 1.0


def _choropleth(**props) -> go.Choroplethmap:
    """A Choroplethmap whose properties are not re-validated: plotly's validator copies the
    whole GeoJSON (about 0.5 s per render); the properties set here are fixed and tested."""
    return go.Choroplethmap(**props, _validate=False)


def _markers(
    df: pd.DataFrame,
    *,
    name: str,
    color,
    size: int,
    customdata,
    hovertemplate: str,
    legendgroup: str,
    showlegend: bool = True,
    cmin=None,
    cmax=None,
) -> list[go.Scattermap]:
    """A circle marker trace over a darker halo trace (Scattermap markers have no outline)."""
    lat, lon = df["lat"].astype(float).tolist(), df["lon"].astype(float).tolist()
    halo = go.Scattermap(
        lat=lat,
        lon=lon,
        mode="markers",
        hoverinfo="skip",
        showlegend=False,
        legendgroup=legendgroup,
        name=_("{name} outline").format(name=name),
        marker={"size": size + HALO_EXTRA, "color": HALO_COLOR},
        unselected=DIM,
    )
    marker: dict[str, Any] = {"size": size, "color": color}
    if cmin is not None:
        marker.update(colorscale=COLOR_SCALE, cmin=cmin, cmax=cmax, showscale=False)
    dots = go.Scattermap(
        lat=lat,
        lon=lon,
        mode="markers",
        name=name,
        legendgroup=legendgroup,
        showlegend=showlegend,
        marker=marker,
        customdata=customdata,
        hovertemplate=hovertemplate,
        unselected=DIM,
    )
    return [halo, dots]


# -- the map ---------------------------------------------------------------------------------
def world_choropleth(
    values: pd.DataFrame,
    geojson: dict,
    *,
    value_col: str,
    label: str,
    title: str,
    hover_cols: Sequence = (),
    locals_df: pd.DataFrame | None = None,
    small_states: pd.DataFrame | None = None,
    value_format: str | None = None,
    height: int | None = MAP_HEIGHT,
    geometry_url: str | None = None,
    source: str | None = None,
) -> go.Figure:
    """World map of members coloured by `value_col`.

    values: one row per member: member_code, member_name, iso3 (defaults to member_code), the
        value and the `hover_cols`; rows with kind == "local" are not countries and are drawn
        as points instead (when `locals_df` is None and they carry lat/lon).
    geojson: ogp.data.geo.load_countries() (features with id = ISO3).
    locals_df: local members with member_code, member_name, lat, lon and the value.
    small_states: rows with iso3, lat, lon (ogp.data.geo.country_table() with small = True): members
        among them also get a marker, so they can be seen and clicked at world zoom. None: taken
        from the GeoJSON's `small`/`lat`/`lon` properties; an empty frame: no such markers.
    height: None leaves it to the page (ogp.app.ui.show_chart sizes a map to the screen).
    geometry_url: a URL serving `geojson`'s features (ogp.data.geo.MAP_GEOMETRY_FILE): every polygon
        trace names it instead of carrying its outlines, so the browser fetches them once for
        every map and a figure is a few kB; None: the outlines are in the figure.
    source: where the numbers come from and as of when, written over the boundaries' credit in
        the map's bottom corner: an exported PNG says it too (plotly's camera button draws the
        figure as it is, at the size asked; it adds nothing).
    Every member trace carries customdata [member_code, name, value, ...] for clicks.
    """
    if value_col not in values.columns:
        raise ValueError(f"map values: no column {value_col!r} (have {', '.join(map(str, values.columns))})")
    hover = _hover_columns(hover_cols, value_col)
    local_mask = _is_local(values)
    national = values[~local_mask].assign(iso3=lambda d: _iso3(d))
    national = national[national["iso3"].notna()].drop_duplicates("iso3")
    if locals_df is None:
        locals_df = values[local_mask]
    features = {f["id"]: f for f in geojson["features"] if f.get("id") not in EXCLUDED_FROM_MAP}
    national = national[national["iso3"].isin(features)]
    numeric = pd.to_numeric(national[value_col], errors="coerce")
    with_value, without_value = national[numeric.notna()], national[numeric.isna()]
    zmin, zmax = _value_range(numeric)  # local members are not on the colour scale
    members = set(national["iso3"])
    traces: list = []

    others = [f for code, f in features.items() if code not in members]
    traces.append(
        _choropleth(
            geojson=geometry_url or _collection(others),
            featureidkey="id",
            locations=[f["id"] for f in others],
            z=[0] * len(others),
            customdata=[""] * len(others),  # "" = not a member (ignored on click)
            colorscale=[[0, NON_MEMBER_COLOR], [1, NON_MEMBER_COLOR]],
            showscale=False,
            marker={"line": {"color": BORDER_COLOR, "width": BORDER_WIDTH}},
            hoverinfo="skip",
            name=_("Other countries"),
            showlegend=False,
            selected=KEEP,
            unselected=KEEP,
        )
    )

    if len(with_value):
        traces.append(
            _choropleth(
                geojson=geometry_url or _collection([features[c] for c in with_value["iso3"]]),
                featureidkey="id",
                locations=with_value["iso3"].tolist(),
                z=pd.to_numeric(with_value[value_col]).tolist(),
                zmin=zmin,
                zmax=zmax,
                colorscale=COLOR_SCALE,
                marker={"line": {"color": BORDER_COLOR, "width": BORDER_WIDTH}},
                customdata=_customdata(with_value, value_col, hover, value_format),
                hovertemplate=_hovertemplate(label, hover),
                name=_("Members"),
                showlegend=False,
                selected=KEEP,
                unselected=DIM,
                # under the map, not on it: a panel over the Pacific covered Mexico and South
                # America on narrower screens and washed out the colours under it
                colorbar={
                    "title": {"text": label, "side": "top"},
                    "orientation": "h",
                    "thickness": 10,
                    "len": 0.45,
                    "x": 0,
                    "xanchor": "left",
                    "y": 0,
                    "yanchor": "top",
                    "ypad": 4,
                    "outlinewidth": 0,
                },
            )
        )
    if len(without_value):
        traces.append(
            _choropleth(
                geojson=geometry_url or _collection([features[c] for c in without_value["iso3"]]),
                featureidkey="id",
                locations=without_value["iso3"].tolist(),
                z=[0] * len(without_value),
                colorscale=[[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]],
                showscale=False,
                marker={"line": {"color": BORDER_COLOR, "width": BORDER_WIDTH}},
                customdata=_customdata(without_value, value_col, hover, value_format),
                hovertemplate=_hovertemplate(label, hover),
                name=_("Member, no data"),
                showlegend=False,
                selected=KEEP,
                unselected=DIM,
            )
        )

    # small member states as dots at their label point, coloured like their polygon
    if small_states is None:
        small_states = pd.DataFrame(
            [
                {"iso3": f["id"], **{k: f.get("properties", {}).get(k) for k in ("lat", "lon")}}
                for f in geojson["features"]
                if f.get("properties", {}).get("small")
            ]
        )
    if len(small_states) and {"iso3", "lat", "lon"} <= set(small_states.columns):
        pts = (
            small_states[["iso3", "lat", "lon"]]
            .dropna()
            .assign(iso3=lambda d: d["iso3"].astype("string").replace(ISO3_ALIASES))
            .drop_duplicates("iso3")
        )
        small = national.drop(columns=[c for c in ("lat", "lon") if c in national.columns]).merge(
            pts, on="iso3"
        )
        small_num = pd.to_numeric(small[value_col], errors="coerce")
        has, nod = small[small_num.notna()], small[small_num.isna()]
        if len(has):  # coloured through the same scale as the polygons
            traces += _markers(
                has,
                name=_("Small member states"),
                color=small_num.dropna().tolist(),
                size=SMALL_STATE_SIZE,
                customdata=_customdata(has, value_col, hover, value_format),
                hovertemplate=_hovertemplate(label, hover),
                legendgroup="small",
                cmin=zmin,
                cmax=zmax,
            )
        if len(nod):  # a colour array cannot mix numbers and a literal "no data" colour
            traces += _markers(
                nod,
                name=_("Small member states"),
                color=NO_DATA_COLOR,
                size=SMALL_STATE_SIZE,
                customdata=_customdata(nod, value_col, hover, value_format),
                hovertemplate=_hovertemplate(label, hover),
                legendgroup="small",
                showlegend=not len(has),
            )

    # local members: their own colour, whatever the value (the value is in the hover)
    if locals_df is not None and len(locals_df) and {"lat", "lon"} <= set(locals_df.columns):
        loc = locals_df.copy()
        loc["lat"], loc["lon"] = (
            pd.to_numeric(loc["lat"], errors="coerce"),
            pd.to_numeric(loc["lon"], errors="coerce"),
        )
        loc = loc.dropna(subset=["lat", "lon"])
        if len(loc):
            traces += _markers(
                loc,
                name=_("Local members"),
                color=LOCAL_COLOR,
                size=LOCAL_SIZE,
                customdata=_customdata(loc, value_col, hover, value_format),
                hovertemplate=_hovertemplate(label, hover, kind=_("local member")),
                legendgroup="local",
            )

    fig = go.Figure(traces)
    from ogp.render.charts import wrap_title  # a phone's map is 360 px wide: long titles on two lines

    title = wrap_title(title)
    # the title under the toolbar's row, not beside it: on a phone the toolbar (always shown on a
    # touch screen) covered the end of "Commitments by member"
    margin = {**MARGIN, "t": MODEBAR + TITLE_LINE * (title.count("<br>") + 1) + 8}
    fig.update_layout(
        title={
            "text": title,
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": MODEBAR},
            "automargin": False,
            "font": {"size": TITLE_SIZE, "family": FONT},
        },
        map={"style": MAP_STYLE, "center": WORLD_CENTER, "zoom": WORLD_ZOOM, "bounds": WORLD_BOUNDS},
        height=height,
        margin=margin,
        # the charts' font stack, set here: left to Streamlit's theme, the map's text was
        # measured in its web font on the page but drawn in a wider fallback in the exported
        # PNG (an SVG image cannot use the page's fonts), which cut the legend's last entry
        font={"family": FONT},
        uirevision=UIREVISION,
        dragmode="pan",
        paper_bgcolor="#ffffff",
        hovermode="closest",
        legend={  # the bottom line, under the colour bar
            "orientation": "h",
            "yref": "container",
            "x": 0,
            "y": 0,
            "xanchor": "left",
            "yanchor": "bottom",
            "itemclick": "toggle",
        },
        annotations=[  # the source line over the boundaries' credit (one line each)
            {
                "text": line,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.995,
                "y": 0.005,
                "yshift": 13 * i,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"size": 10, "color": "#666666"},
            }
            for i, line in enumerate(filter(None, [_(CREDIT), source]))
        ],
    )
    return fig


def _who(rows: pd.DataFrame) -> str:
    """'Kenya', 'Kenya and Chile', or '12 members' when many tie."""
    names = [_name(r) for r in rows.to_dict("records")]
    if len(names) > 3:
        return ngettext("{n} member", "{n} members", len(names)).format(n=i18n.number(len(names)))
    if len(names) > 1:
        return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])
    return names[0]


def alt_text(
    values: pd.DataFrame,
    *,
    value_col: str,
    label: str,
    locals_df: pd.DataFrame | None = None,
    value_format: str | None = None,
) -> str:
    """One sentence describing the map for screen readers and captions (st.plotly_chart(alt=...)).
    e.g. "World map of 75 OGP members (68 national, 7 local) coloured by commitments; highest:
    Ukraine (32)." """
    df = (
        values
        if locals_df is None
        else pd.concat([values, locals_df.assign(kind="local")], ignore_index=True)
    )
    if "member_code" in df.columns:
        df = df.drop_duplicates("member_code")
    n = len(df)
    what = label[:1].lower() + label[1:] if label[1:2].islower() else label
    local = _is_local(df)
    if local.any():
        sentence = ngettext(
            "World map of {n} OGP member ({national} national, {local} local) coloured by {measure}",
            "World map of {n} OGP members ({national} national, {local} local) coloured by {measure}",
            n,
        )
    else:
        sentence = ngettext(
            "World map of {n} OGP member coloured by {measure}",
            "World map of {n} OGP members coloured by {measure}",
            n,
        )
    sentence = sentence.format(
        n=i18n.number(n),
        national=i18n.number(n - int(local.sum())),
        local=i18n.number(int(local.sum())),
        measure=what,
    )
    nums = (
        pd.to_numeric(df[value_col], errors="coerce") if value_col in df.columns else pd.Series(dtype=float)
    )
    if nums.notna().any():
        top, low = nums.max(), nums.min()
        first = df[nums == top].iloc[0].to_dict()
        sentence += _("; highest: {who} ({value})").format(
            who=_who(df[nums == top]), value=cell_text(first, value_col, value_format)
        )
        if low != top:
            last = df[nums == low].iloc[0].to_dict()
            sentence += _(", lowest: {who} ({value})").format(
                who=_who(df[nums == low]), value=cell_text(last, value_col, value_format)
            )
    missing = int(nums.isna().sum()) if len(nums) else n
    if missing:
        sentence += ngettext("; {n} with no data", "; {n} with no data", missing).format(
            n=i18n.number(missing)
        )
    return sentence + "."


# -- clicks ----------------------------------------------------------------------------------
def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    try:
        return obj[key]
    except (KeyError, TypeError, IndexError):
        return getattr(obj, key, None)


def selected_member(selection_event: Any) -> str | None:
    """The member code of the clicked map point, from what ``st.plotly_chart(fig,
    on_select="rerun")`` returns: ``{"selection": {"points": [...], ...}}``.

    Streamlit 1.67 passes plotly's ``plotly_selected`` event points with snake_case keys.
    A choroplethmap point has ``location`` (the feature id), ``z``, ``ct`` and ``customdata``;
    a scattermap point has ``lat``, ``lon`` and ``customdata``. Our traces put the member code
    first in customdata; the grey non-member layer has customdata "" and is ignored. A point
    without customdata (another figure's choropleth) falls back to its ``location``.
    """
    points = _get(_get(selection_event, "selection"), "points") or []
    for point in points:
        has_custom = isinstance(point, Mapping) and "customdata" in point
        custom = _get(point, "customdata")
        if isinstance(custom, (list, tuple)):
            custom = custom[0] if custom else None
        if custom is not None and not (isinstance(custom, float) and math.isnan(custom)):
            code = str(custom).strip()
            if code:
                return code
            continue
        if not has_custom:
            location = _get(point, "location")
            if isinstance(location, str) and location.strip():
                return location.strip()
    return None
