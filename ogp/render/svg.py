"""Charts and the world map as inline SVG strings, drawn at bake time (ogp/ops/bake.py): no
JavaScript, no request, readable by screen readers (role="img", an aria-label and a <title>).

Pure: DataFrames in, SVG text out; every data text is escaped. Colours are the project's:
one fixed colour per IRM level (ogp/model/scales.py), the focus/all pair of ogp/model/text.py, the map's
sequential blues of ogp/render/maps.py (colour-blind safe). The map's outlines are the bundled,
simplified Natural Earth geometry (ogp/data/geo.py), projected with the Natural Earth projection and
written with whole-pixel precision.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from functools import lru_cache
from html import escape

import pandas as pd

from ogp.data import geo
from ogp.model import i18n, scales, text
from ogp.model.i18n import _, ngettext
from ogp.render import charts, maps

LEVEL_NOT_ASSESSED = charts.NOT_ASSESSED
AXIS = "#44525F"
GRID = "#DDE3E9"
INK = "#1B2631"


def e(value: object) -> str:
    return escape("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))


def _svg(
    width: float, height: float, title: str, alt: str, body: str, cls: str = "chart", role: str = "img"
) -> str:
    """role="img" for a chart; "group" for the map, whose members are links."""
    return (
        f'<svg class="{cls}" viewBox="0 0 {width:.0f} {height:.0f}" role="{role}" aria-label="{e(alt)}">'
        f"<title>{e(title)}</title>{body}</svg>"
    )


def _nice_step(top: float, ticks: int = 4) -> float:
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def legend(items: list[tuple[str, str]]) -> str:
    """An HTML legend (wraps on a phone, read as a list): [(label, colour)]."""
    return (
        '<ul class="legend">'
        + "".join(
            f'<li><span class="swatch" style="background:{e(c)}"></span>{e(label)}</li>' for label, c in items
        )
        + "</ul>"
    )


# -- stacked columns of IRM levels -----------------------------------------------------------
def stacked_columns(
    df: pd.DataFrame,
    *,
    x: str,
    level: str,
    count: str,
    scale: str,
    title: str,
    x_label: str,
    share: bool = False,
    x_text=str,
) -> tuple[str, str]:
    """Columns of IRM levels stacked per value of `x` (a year, a plan number): the SVG and its
    HTML legend. With `share`, each column is 100% of its commitments."""
    data = df.copy()
    data[level] = data[level].fillna(LEVEL_NOT_ASSESSED)
    colours = {**scales.LEVEL_COLOURS.get(scale, {}), LEVEL_NOT_ASSESSED: text.NOT_ASSESSED_COLOUR}
    order = charts.level_order(scale, data[level].unique())
    table = data.pivot_table(index=x, columns=level, values=count, aggfunc="sum", fill_value=0)
    table = table.reindex(columns=order, fill_value=0).sort_index()
    totals = table.sum(axis=1)
    y_label = _("Commitments")
    value_label = _("Share of {what} (%)").format(what=y_label.lower()) if share else y_label
    width, height, left, bottom, top = 420, 280, 52, 46, 10
    plot_w, plot_h = width - left - 10, height - top - bottom
    top_value = 100 if share else float(totals.max() or 1)
    step = 25 if share else _nice_step(top_value)
    top_value = math.ceil(top_value / step) * step
    parts = []
    tick = 0.0
    while tick <= top_value + 1e-9:
        y = top + plot_h - plot_h * tick / top_value
        label = i18n.share(tick) if share else i18n.number(int(tick))
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{e(label)}</text>')
        tick += step
    n = max(len(table), 1)
    slot = plot_w / n
    bar = min(slot * 0.75, 48)
    every = max(1, math.ceil(n / 8))  # x labels thinned to about 8
    for i, (key, row) in enumerate(table.iterrows()):
        x0 = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        total = float(totals.loc[key]) or 1
        for lvl in order:
            v = float(row[lvl])
            if not v:
                continue
            h = plot_h * (v / total * 100 if share else v) / top_value
            y -= h
            shown = charts.level_label(scale, lvl)
            tip = (
                _("{level}: {count} commitments ({share})").format(
                    level=shown, count=i18n.number(int(v)), share=text.pct(v, total)
                )
                if share
                else _("{level}: {count} commitments").format(level=shown, count=i18n.number(int(v)))
            )
            parts.append(
                f'<rect x="{x0:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colours.get(lvl, text.ALL_COLOUR)}">'
                f"<title>{e(x_text(key))}: {e(tip)}</title></rect>"
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x0 + bar / 2:.1f}" y="{top + plot_h + 17}" text-anchor="middle" class="tick">{e(x_text(key))}</text>'
            )
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" text-anchor="middle" class="axis">{e(x_label)}</text>'
    )
    parts.append(
        f'<text transform="translate(14 {top + plot_h / 2:.0f}) rotate(-90)" text-anchor="middle" class="axis">{e(value_label)}</text>'
    )
    total = int(data[count].sum())
    alt = ngettext(
        "{title}. Stacked bars over {groups} {what} values, {total} commitment in all",
        "{title}. Stacked bars over {groups} {what} values, {total} commitments in all",
        total,
    ).format(title=title, groups=i18n.number(len(table)), what=x_label.lower(), total=i18n.number(total))
    if total:
        most = data.groupby(level)[count].sum().sort_values(ascending=False)
        alt += _("; most common: {level} ({share})").format(
            level=charts.level_label(scale, most.index[0]), share=text.pct(most.iloc[0], total)
        )
    alt += "."
    items = [(charts.level_label(scale, lvl), colours.get(lvl, text.ALL_COLOUR)) for lvl in order]
    return _svg(width, height, title, alt, "".join(parts)), legend(items)


# -- horizontal bars ---------------------------------------------------------------------------
def hbars(
    rows: Sequence[tuple[str, Sequence[tuple[float | None, str, str, str]]]],
    *,
    title: str,
    alt: str,
    x_label: str,
    y_label: str = "",
    percent: bool = False,
) -> str:
    """Horizontal bars: rows of (label, [(value, shown text, colour, tooltip)]), one bar per
    series, the row's label on its own line above its bars (long names stay whole on a phone);
    `percent` draws to 100, else to the largest value."""
    values = [v for _, bars in rows for v, *_ in bars if v is not None and not pd.isna(v)]
    top = 100.0 if percent else float(max(values, default=0) or 1)
    width, bar, gap, group_gap, left, label_h = 420, 16, 3, 10, 2, 17
    span = width - left - 60
    y, parts = 2, []
    for line in textwrap.wrap(y_label, 50):  # the categories' axis title, above the first label
        parts.append(f'<text x="{left}" y="{y + 12}" class="axis">{e(line)}</text>')
        y += label_h
    y += 2 if y_label else 0
    top_y = y
    for label, bars in rows:
        parts.append(f'<text x="{left}" y="{y + 12}">{e(label)}</text>')
        y += label_h
        for value, caption, colour, tip in bars:
            w = 0 if value is None or pd.isna(value) else max(span * float(value) / top, 1)
            parts.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{e(colour)}"><title>{e(tip)}</title></rect>'
                f'<text x="{left + w + 5:.1f}" y="{y + bar - 3.5}" class="value">{e(caption)}</text>'
            )
            y += bar + gap
        y += group_gap - gap
    base = y - group_gap + gap + 4
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top_y}" y2="{base}" stroke="{AXIS}"/>')
    parts.append(
        f'<text x="{left + span / 2:.0f}" y="{base + 18}" text-anchor="middle" class="axis">{e(x_label)}</text>'
    )
    return _svg(width, base + 26, title, alt, "".join(parts))


def compare(versus: pd.DataFrame, *, focus: str, title: str, y_label: str = "") -> tuple[str, str]:
    """views.versus_all as grouped bars (the focus in blue, all in grey) and its legend."""
    rows, groups = [], list(dict.fromkeys(versus["group"]))
    for measure, part in versus.groupby("measure", sort=False):
        bars = []
        for r in part.itertuples():
            colour = text.FOCUS_COLOUR if r.group == focus else text.ALL_COLOUR
            shown = i18n.share(r.percent) if r.percent is not None and not pd.isna(r.percent) else "–"
            of = _("{part} of {whole}").format(part=i18n.number(r.count), whole=i18n.number(r.of))
            bars.append((r.percent, shown, colour, f"{r.group}: {shown} ({of})"))
        rows.append((measure, bars))
    alt = (
        title
        + ". "
        + "; ".join(
            f"{measure}: "
            + ", ".join(
                f"{r.group} {i18n.share(r.percent) if r.percent is not None and not pd.isna(r.percent) else '–'}"
                for r in part.itertuples()
            )
            for measure, part in versus.groupby("measure", sort=False)
        )
    )
    svg = hbars(rows, title=title, alt=alt + ".", x_label=_("Share (%)"), y_label=y_label, percent=True)
    colours = [(g, text.FOCUS_COLOUR if g == focus else text.ALL_COLOUR) for g in groups]
    return svg, legend(colours)


def ranking(df: pd.DataFrame, *, label: str, value: str, title: str, x_label: str, y_label: str = "") -> str:
    """One bar per row (already ordered), the count written after it."""
    rows = [
        (
            str(r[label]),
            [
                (
                    float(r[value]),
                    i18n.number(int(r[value])),
                    text.FOCUS_COLOUR,
                    f"{r[label]}: {i18n.number(int(r[value]))}",
                )
            ],
        )
        for _, r in df.iterrows()
    ]
    alt = ngettext("{title}. {n} bar", "{title}. {n} bars", len(df)).format(
        title=title, n=i18n.number(len(df))
    )
    if len(df):
        alt += _("; highest: {who} ({value})").format(
            who=df[label].iloc[0], value=i18n.number(int(df[value].iloc[0]))
        )
    return hbars(rows, title=title, alt=alt + ".", x_label=x_label, y_label=y_label)


# -- the world map -----------------------------------------------------------------------------
MAP_WIDTH = 960
SOUTH, NORTH = -58.0, 84.0  # as the dashboard's map (maps.WORLD_BOUNDS): no Antarctica
CLASSES = ("#c6dbef", "#9ecae1", "#4292c6", "#2171b5", "#08306b")  # maps.COLOR_SCALE, 5 steps


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """The Natural Earth projection (Šavrič et al. 2011), in radians-scaled units."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def _frame() -> tuple[float, float, float, float]:
    x_max = natural_earth(180, 0)[0]
    y_top, y_bottom = natural_earth(0, NORTH)[1], natural_earth(0, SOUTH)[1]
    scale = MAP_WIDTH / (2 * x_max)
    return scale, x_max, y_top, (y_top - y_bottom) * scale


def project(lon: float, lat: float) -> tuple[float, float]:
    scale, x_max, y_top, _h = _frame()
    x, y = natural_earth(lon, lat)
    return (x + x_max) * scale, (y_top - y) * scale


def _ring(coords) -> str:
    pts, last = [], None
    for lon, lat in coords:
        x, y = project(lon, max(min(lat, NORTH), SOUTH))
        p = (round(x), round(y))
        if p != last:
            pts.append(p)
            last = p
    if len(pts) < 3:
        return ""
    out = [f"M{pts[0][0]} {pts[0][1]}"]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        out.append(f"l{x1 - x0} {y1 - y0}")
    return "".join(out) + "z"


@lru_cache(maxsize=2)
def outlines(path: str | None = None) -> dict[str, str]:
    """ISO3 -> SVG path data of the country (whole pixels of a MAP_WIDTH-wide map)."""
    out = {}
    for f in geo.load_countries(path)["features"]:
        iso = f["id"]
        if iso in maps.EXCLUDED_FROM_MAP:
            continue
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        d = "".join(_ring(ring) for poly in polys for ring in poly)
        if d:
            out[iso] = d
    return out


def map_height() -> int:
    return round(_frame()[3])


def classes(values: pd.Series, percent: bool) -> list[tuple[float, float]]:
    """Five equal steps from the lowest to the highest value (whole numbers for counts)."""
    nums = pd.to_numeric(values, errors="coerce").dropna()
    low, high = (float(nums.min()), float(nums.max())) if len(nums) else (0.0, 1.0)
    if high <= low:
        high = low + 1
    step = (high - low) / len(CLASSES)
    edges = [low + i * step for i in range(len(CLASSES) + 1)]
    return [(edges[i], edges[i + 1]) for i in range(len(CLASSES))]


def _class_of(value: float, bins: list[tuple[float, float]]) -> int:
    for i, (_lo, hi) in enumerate(bins):
        if value <= hi + 1e-9:
            return i
    return len(bins) - 1


def world_map(
    by_member: pd.DataFrame,
    *,
    measure: str,
    label: str,
    title: str,
    href,
    percent: bool = False,
    details=(),
) -> tuple[str, str]:
    """Members coloured by `measure` (five classes of blue), other countries grey; each member
    a link (`href(code)`) with a <title>; small states and local members as circles. Returns
    the SVG and its HTML legend. `details`: (column, label, percent) shown in each title."""
    shapes = outlines()
    countries = geo.country_table().set_index("iso3")
    national = by_member[by_member["kind"] != "local"]
    local = by_member[by_member["kind"] == "local"]
    bins = classes(by_member[measure], percent)
    fmt = (lambda v: i18n.share(v)) if percent else (lambda v: i18n.number(int(round(v))))

    def tip(r) -> str:
        v = r[measure]
        lines = [f"{r['member_name']}", f"{label}: {'–' if pd.isna(v) else fmt(float(v))}"]
        for col, col_label, pct in details:
            if col != measure and col in r and not pd.isna(r[col]):
                lines.append(f"{col_label}: {i18n.share(r[col]) if pct else i18n.number(int(r[col]))}")
        return "\n".join(lines)

    def fill(v) -> str:
        return maps.NO_DATA_COLOR if pd.isna(v) else CLASSES[_class_of(float(v), bins)]

    members = {}
    for r in national.to_dict("records"):
        iso = r["iso3"] if isinstance(r["iso3"], str) else r["member_code"]
        members[iso] = r
    world, links, dots = [], [], []
    for iso, d in shapes.items():
        if iso not in members:
            world.append(d)
    for iso, r in sorted(members.items(), key=lambda kv: kv[1]["member_name"]):
        colour = fill(r[measure])
        t = tip(r)
        a = f'<a href="{e(href(r["member_code"]))}" data-tip="{e(t)}"><title>{e(t)}</title>'
        shape = f'<path d="{shapes[iso]}" fill="{colour}"/>' if iso in shapes else ""
        small = iso in countries.index and bool(countries.loc[iso, "small"])
        if (small or not shape) and iso in countries.index and not pd.isna(countries.loc[iso, "lon"]):
            x, y = project(float(countries.loc[iso, "lon"]), float(countries.loc[iso, "lat"]))
            shape += f'<circle cx="{x:.0f}" cy="{y:.0f}" r="5" fill="{colour}" stroke="{maps.HALO_COLOR}" stroke-width="1.5"/>'
        if shape:
            links.append(a + shape + "</a>")
    for r in local.to_dict("records"):
        if pd.isna(r.get("lon")) or pd.isna(r.get("lat")):
            continue
        x, y = project(float(r["lon"]), float(r["lat"]))
        t = tip(r)
        dots.append(
            f'<a href="{e(href(r["member_code"]))}" data-tip="{e(t)}"><title>{e(t)}</title>'
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="4.5" fill="{maps.LOCAL_COLOR}" stroke="{maps.HALO_COLOR}" stroke-width="1"/></a>'
        )
    body = (
        f'<path d="{"".join(world)}" fill="{maps.NON_MEMBER_COLOR}" stroke="#fff" stroke-width="0.5"/>'
        f'<g stroke="#fff" stroke-width="0.5">{"".join(links)}</g><g>{"".join(dots)}</g>'
    )
    alt = maps.alt_text(by_member, value_col=measure, label=label)
    svg = _svg(MAP_WIDTH, map_height(), title, alt, body, cls="map", role="group")
    items = [(f"{fmt(lo)}–{fmt(hi)}", c) for (lo, hi), c in zip(bins, CLASSES)]
    if by_member[measure].isna().any():
        items.append((_("No data"), maps.NO_DATA_COLOR))
    items.append((_("Not a member in this data"), maps.NON_MEMBER_COLOR))
    if len(local):
        items.append((_("Local member"), maps.LOCAL_COLOR))
    return svg, legend(items)
