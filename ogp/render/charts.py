"""Chart builders: DataFrame in, `Chart` out (a Plotly figure with its title, axis labels,
alt text, the data behind it and a file name). Pure functions: no Streamlit, no SQL."""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass
from typing import SupportsFloat

import pandas as pd
import plotly.graph_objects as go

from ogp.model import i18n, scales, text
from ogp.model.i18n import _, ngettext
from ogp.model.text import ALL_COLOUR, FOCUS_COLOUR, NOT_ASSESSED, NOT_ASSESSED_COLOUR

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"
HEIGHT = 380


@dataclass
class Chart:
    fig: go.Figure
    alt: str
    data: pd.DataFrame
    name: str  # file-name stem for PNG and CSV downloads

    @property
    def title(self) -> str:
        return (self.fig.layout.title.text or "").replace("<br>", " ")


def level_label(scale: str, level: object) -> str:
    """A level as a chart shows it: the IRM's term in the reader's language; 'Not assessed'
    translated; anything else (data) as it is."""
    if level == NOT_ASSESSED:
        return _(NOT_ASSESSED)
    return i18n.level(scale, level) if isinstance(level, str) else str(level)


def pct_text(value: SupportsFloat | None, digits: int = 0) -> str:
    """A value already in percent as a bar label: 46% / 46 %."""
    return i18n.share(value, digits=digits) if pd.notna(value) else ""


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80] or "chart"


TITLE_SIZE, FONT_SIZE = 17, 13
# The narrowest chart a title and a legend must fit: a phone's full-width chart (390 px screen).
NARROWEST = 340
MODEBAR = 30  # px above the title for plotly's toolbar (always shown on a touch screen)


def wrap_title(title: str, size: int = TITLE_SIZE, width: int = NARROWEST) -> str:
    """Break a title into lines that fit `width` px (plotly never wraps a title: a long one
    was cut mid-word on a narrow chart)."""
    plain = title.replace("<br>", " ")
    chars = max(12, int(width / (0.62 * size)))  # bold title type is about 0.6 em a character
    return "<br>".join(textwrap.wrap(plain, chars, break_long_words=False)) or plain


def legend_rows(fig: go.Figure, size: int = FONT_SIZE, width: int = NARROWEST) -> int:
    """How many rows a horizontal legend takes on a chart `width` px wide (0: no legend): it
    wraps at the plot area's width, the chart's less the y axis (about 110 px with its title)."""
    width -= 110
    names = [t.name for t in fig.data if t.name and t.showlegend is not False and t.type != "heatmap"]
    if len(names) < 2 or fig.layout.showlegend is False:
        return 0
    rows, used = 1, 0.0
    for name in names:
        item = 40 + 0.6 * size * len(str(name))  # symbol, gap and text
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def fit_top(
    fig: go.Figure, *, title_size: int = TITLE_SIZE, legend_size: int = FONT_SIZE, width: int = NARROWEST
) -> go.Figure:
    """Title at the top, the legend between it and the plot, and a top margin holding both:
    the legend never sits on the title (plotly sizes margins by the larger push, not the sum)."""
    title = fig.layout.title.text or ""
    lines = title.count("<br>") + 1 if title else 0
    rows = legend_rows(fig, legend_size, width)
    title_h = lines * title_size * 1.3
    top = MODEBAR + title_h + (rows * legend_size * 1.75 + 6 if rows else 8)
    fig.update_layout(
        title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": MODEBAR}, "automargin": False},
        legend={
            "orientation": "h",
            "yref": "paper",
            "yanchor": "bottom",
            "y": 1.0,
            "xanchor": "left",
            "x": 0,
        },
        margin={"t": int(top)},
    )
    return fig


def _layout(
    fig: go.Figure, title: str, x_label: str | None, y_label: str | None, height: int = HEIGHT
) -> go.Figure:
    fig.update_layout(
        title={
            "text": wrap_title(title),
            "x": 0,
            "xanchor": "left",
            "font": {"size": TITLE_SIZE, "family": FONT},
        },
        font={"family": FONT, "size": FONT_SIZE},
        height=height,
        margin={"l": 10, "r": 10, "b": 10},
        legend={"title": None},
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font": {"family": FONT}},
        separators=i18n.plotly_separators(),  # 1,234.5 / 1.234,5 / 1 234,5 in hovers and ticks
    )
    fig.update_xaxes(title_text=x_label, showgrid=False, automargin=True)
    fig.update_yaxes(
        title_text=wrap_axis_title(y_label, height), gridcolor="#EEEEEE", automargin=True, rangemode="tozero"
    )
    # bar labels read horizontally (plotly turned them 90 degrees to fit narrow bars), at their
    # size: plotly shrinks a label to its bar's width ("32 commitments" in a short plan's bar was
    # drawn at 2 px, "50% (5 of 10)" at 3 px); LABEL_MIN_SIZE is the floor if it ever must
    fig.update_traces(textangle=0, constraintext="none", selector={"type": "bar"})
    fig.update_layout(uniformtext={"minsize": LABEL_MIN_SIZE, "mode": "show"})
    return fit_top(fig)


LABEL_MIN_SIZE = 12  # px: the smallest text a chart draws


def wrap_axis_title(label: str | None, height: int, size: int = FONT_SIZE) -> str | None:
    """A vertical axis title on as many lines as its axis's length needs: plotly never wraps
    one, and a title longer than its axis ran up into the chart's title (theme pages)."""
    if not label:
        return label
    room = max(80, height - 150)  # px of the axis: the chart less its title, legend and ticks
    chars = max(12, int(room / (0.55 * size)))
    return "<br>".join(textwrap.wrap(label, chars)) if len(label) > chars else label


def level_order(scale: str, present) -> list[str]:
    """Levels of a scale in order, then its unordered answers, then 'Not assessed', keeping
    only those present."""
    order = list(scales.levels(scale, with_unordered=True)) + [NOT_ASSESSED]
    present = set(present)
    return [lvl for lvl in order if lvl in present] + sorted(present - set(order))


def levels_bar(
    df: pd.DataFrame,
    *,
    x: str,
    level: str,
    count: str,
    scale: str,
    title: str,
    x_label: str,
    y_label: str | None = None,
    share: bool = False,
    horizontal: bool = False,
) -> Chart:
    """Stacked bars of IRM levels (fixed colour per level) per category of `x`."""
    y_label = y_label or _("Commitments")
    data = df.copy()
    data[level] = data[level].fillna(NOT_ASSESSED)
    colours = {**scales.LEVEL_COLOURS.get(scale, {}), NOT_ASSESSED: NOT_ASSESSED_COLOUR}
    fig = go.Figure()
    totals = data.groupby(x)[count].transform("sum")
    values = data[count] / totals.where(totals > 0) * 100 if share else data[count]
    data["_value"] = values
    for lvl in level_order(scale, data[level].unique()):
        part = data[data[level] == lvl]
        shown = level_label(scale, lvl)
        axis = "x" if horizontal else "y"
        hover = (
            _("{level}: {count} commitments ({share})") if share else _("{level}: {count} commitments")
        ).format(level=shown, count="%{customdata[0]:,}", share="%{" + axis + ":.0f}" + i18n.percent_sign())
        kwargs = dict(
            name=shown,
            marker_color=colours.get(lvl, ALL_COLOUR),
            customdata=part[[count]].to_numpy(),
            hovertemplate=hover + "<extra>%{" + ("y" if horizontal else "x") + "}</extra>",
        )
        if horizontal:
            fig.add_bar(y=part[x].astype(str), x=part["_value"], orientation="h", **kwargs)
        else:
            xs = part[x] if pd.api.types.is_numeric_dtype(data[x]) else part[x].astype(str)
            fig.add_bar(x=xs, y=part["_value"], **kwargs)
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})  # low to high, left to right
    order = [str(v) for v in sorted(data[x].dropna().unique())]
    (fig.update_yaxes if horizontal else fig.update_xaxes)(categoryorder="array", categoryarray=order)
    value_label = _("Share of {what} (%)").format(what=y_label.lower()) if share else y_label
    if horizontal:
        _layout(fig, title, value_label, x_label)
        fig.update_yaxes(type="category", autorange="reversed")
    else:
        _layout(fig, title, x_label, value_label)
        if pd.api.types.is_numeric_dtype(data[x]) and data[x].notna().any():
            # years and plan numbers on a number line: upright labels, thinned as needed
            # (a category axis turned 14 years 45-90 degrees on a narrow chart)
            span = float(data[x].max() - data[x].min())
            fig.update_xaxes(type="linear", tickformat="d", dtick=max(1, math.ceil(span / 6)), tickangle=0)
        else:
            fig.update_xaxes(type="category")
    if share:
        (fig.update_xaxes if horizontal else fig.update_yaxes)(range=[0, 100], ticksuffix=i18n.percent_sign())
    total = int(data[count].sum())
    groups = data[x].nunique()
    top = data.groupby(level)[count].sum().sort_values(ascending=False)
    alt = ngettext(
        "{title}. Stacked bars over {groups} {what} values, {total} commitment in all",
        "{title}. Stacked bars over {groups} {what} values, {total} commitments in all",
        total,
    ).format(title=title, groups=i18n.number(groups), what=x_label.lower(), total=i18n.number(total))
    if total:
        alt += _("; most common: {level} ({share})").format(
            level=level_label(scale, top.index[0]), share=text.pct(top.iloc[0], total)
        )
    alt += "."
    return Chart(fig, alt, df, slug(title))


SMALL_WHOLE = 20  # a share of fewer assessed commitments than this shows its count on the bar
NUMBERED = re.compile(r"^\D*(\d+)$")  # "Plan 3", "3": categories read in number order


def category_order(values) -> list:
    """Categories in the order given, or in number order when each ends in a number (action
    plans: "Plan 1, 2, 3, ..., 10", never 1, 2, 4, 6, 3 as they first appear across groups)."""
    cats = list(dict.fromkeys(values))
    numbers = {c: int(m.group(1)) for c in cats if (m := NUMBERED.match(str(c)))}
    if cats and len(numbers) == len(cats):
        cats.sort(key=numbers.__getitem__)
    return cats


def _bar_text(v, percent: bool, part=None, whole=None, small: int = SMALL_WHOLE, sep: str = " ") -> str:
    """A bar's label: its value, and for a share of fewer than `small` its counts (after `sep`:
    "<br>" under it, for a bar narrower than the words)."""
    if pd.isna(v):
        return ""
    shown = pct_text(v) if percent else i18n.number(round(v))
    if whole is not None and pd.notna(whole) and 0 < whole < small and pd.notna(part):
        # 100% of 1 is not 100% of 300
        shown += sep + _("({part} of {whole})").format(
            part=i18n.number(int(part)), whole=i18n.number(int(whole))
        )
    return shown


def compare_bars(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    group: str,
    title: str,
    x_label: str,
    y_label: str,
    percent: bool = True,
    focus: str | None = None,
    count: str | None = None,
    whole: str | None = None,
) -> Chart:
    """Grouped bars: the same measures for a focus group (theme, member) and for all.
    `count` and `whole` name the columns a share was computed from (when the data has them): a
    share of a small whole shows them on its bar. Categories with no value in any group are left out."""
    fig = go.Figure()
    has_value = df.groupby(category, sort=False)[value].transform(lambda v: v.notna().any())
    shown = df[has_value.astype(bool)] if len(df) else df
    cats = category_order(shown[category])
    groups = list(dict.fromkeys(shown[group]))
    for i, g in enumerate(groups):
        part = shown[shown[group] == g]
        colour = FOCUS_COLOUR if g == focus else (ALL_COLOUR if focus else PALETTE[i % len(PALETTE)])
        parts = part[count] if count in part else [None] * len(part)
        wholes = part[whole] if whole in part else [None] * len(part)
        fig.add_bar(
            x=part[category],
            y=part[value],
            name=str(g),
            marker_color=colour,
            # the counts under the share: "50% (5 of 10)" on one line was wider than its bar and
            # plotly shrank it to 3 px
            text=[_bar_text(v, percent, n, w, sep="<br>") for v, n, w in zip(part[value], parts, wholes)],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"{g}<br>%{{x}}: %{{y:.1f}}{i18n.percent_sign() if percent else ''}<extra></extra>",
        )
    fig.update_layout(barmode="group")
    _layout(fig, title, x_label, y_label)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=cats)
    if percent:
        fig.update_yaxes(range=[0, 105], ticksuffix=i18n.percent_sign())
    described = []
    for cat in cats:
        vals = shown[shown[category] == cat]
        described.append(
            f"{cat}: "
            + ", ".join(
                (
                    f"{g} {pct_text(v) if percent else i18n.number(round(v))}"
                    if pd.notna(v)
                    else _("{group} no value").format(group=g)
                )
                for g, v in zip(vals[group], vals[value])
            )
        )
    alt = f"{title}. " + "; ".join(described) + "."
    return Chart(fig, alt, df, slug(title))


def ranking_bar(
    df: pd.DataFrame,
    *,
    label: str,
    value: str,
    title: str,
    x_label: str,
    y_label: str | None = None,
    colour: str = FOCUS_COLOUR,
    percent: bool = False,
    count: str | None = None,
    whole: str | None = None,
) -> Chart:
    """Horizontal bars, largest on top, each labelled with its value (and, for a share, the
    counts behind it: `count` of `whole`). A short bar, 0% included, has its label beside it,
    so a ranking of one member at 0% still shows that member and its 0%."""
    y_label = y_label or _("Member")
    data = df.sort_values(value, ascending=False)
    values = pd.to_numeric(data[value], errors="coerce").fillna(0)
    top_value = 100.0 if percent else max(float(values.max()) if len(values) else 0.0, 1.0)
    parts = data[count] if count in data else [None] * len(data)
    wholes = data[whole] if whole in data else [None] * len(data)
    labels = [_bar_text(v, percent, n, w, small=10**9) for v, n, w in zip(values, parts, wholes)]
    inside = [v >= 0.35 * top_value for v in values]
    fig = go.Figure(
        go.Bar(
            y=data[label],
            x=values,
            orientation="h",
            marker_color=colour,
            text=labels,
            textposition=["inside" if i else "outside" for i in inside],
            insidetextanchor="end",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    _layout(fig, title, x_label, y_label, height=max(260, 60 + 26 * len(data)))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(range=[0, top_value * 1.15], ticksuffix=i18n.percent_sign() if percent else None)
    alt = ngettext("{title}. {n} bar", "{title}. {n} bars", len(data)).format(
        title=title, n=i18n.number(len(data))
    )
    if len(data):
        alt += _("; highest: {who} ({value})").format(who=data[label].iloc[0], value=labels[0])
    alt += "."
    return Chart(fig, alt, df, slug(title))


def transition_matrix(
    df: pd.DataFrame,
    *,
    from_col: str,
    to_col: str,
    count: str,
    scale: str,
    title: str,
    x_label: str,
    y_label: str,
) -> Chart:
    """Heatmap of how many commitments moved from one level (rows) to another (columns)."""
    data = df.copy()
    data[from_col] = data[from_col].fillna(NOT_ASSESSED)
    data[to_col] = data[to_col].fillna(NOT_ASSESSED)
    rows = level_order(scale, data[from_col].unique())
    cols = level_order(scale, data[to_col].unique())
    grid = data.pivot_table(index=from_col, columns=to_col, values=count, aggfunc="sum", fill_value=0)
    grid = grid.reindex(index=rows, columns=cols, fill_value=0)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[level_label(scale, c) for c in cols],
            y=[level_label(scale, r) for r in rows],
            colorscale="Blues",
            text=grid.to_numpy(),
            texttemplate="%{text}",
            hovertemplate=_("{start} → {end}: {n} commitments").format(start="%{y}", end="%{x}", n="%{z}")
            + "<extra></extra>",
            # whole commitments: integer ticks, never 0.5 (plotly's default for small counts)
            colorbar={
                "title": {"text": _("Commitments")},
                "tickformat": ",d",
                "dtick": count_step(grid.to_numpy().max()),
            },
        )
    )
    _layout(fig, title, x_label, y_label)
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False)
    fig.update_xaxes(type="category", side="bottom")
    total = int(grid.to_numpy().sum())
    moved_up = moves(df, from_col=from_col, to_col=to_col, count=count, scale=scale)["up"]
    alt = ngettext(
        "{title}. {n} commitment present in both snapshots; {up} moved to a higher level.",
        "{title}. {n} commitments present in both snapshots; {up} moved to a higher level.",
        total,
    ).format(title=title, n=i18n.number(total), up=i18n.number(moved_up))
    return Chart(fig, alt, df, slug(title))


def count_step(most: float, ticks: int = 5) -> int:
    """An integer tick step for a count axis going up to `most` (about `ticks` ticks)."""
    return max(1, math.ceil(float(most or 0) / ticks))


def moves(df: pd.DataFrame, *, from_col: str, to_col: str, count: str, scale: str) -> dict[str, int]:
    """How many commitments rated in both snapshots changed level, and how many moved up and
    down the scale (a first rating after "not assessed" is no move; a move to or from a level
    outside the scale is neither up nor down)."""
    order = {lvl: i for i, lvl in enumerate(scales.levels(scale))}
    start, end = df[from_col].map(order), df[to_col].map(order)
    changed = df[from_col].notna() & df[to_col].notna() & (df[from_col] != df[to_col])
    return {
        "changed": int(df.loc[changed, count].sum()),
        "up": int(df.loc[end > start, count].sum()),
        "down": int(df.loc[end < start, count].sum()),
    }


def plans_timeline(df: pd.DataFrame, *, title: str) -> Chart:
    """Action plans as bars from submission year to end year, labelled by plan number."""
    data = df.sort_values("action_plan")
    start = data["year_submitted"].astype("Float64")
    end = data["end_year"].astype("Float64").fillna(start + 2)
    labels = [_("Plan {n}").format(n=n) for n in data["action_plan"]]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=(end - start).clip(lower=1).to_numpy(dtype=float),
            base=start.to_numpy(dtype=float),
            orientation="h",
            marker_color=FOCUS_COLOUR,
            text=[
                ngettext("{n} commitment", "{n} commitments", int(n)).format(n=i18n.number(int(n)))
                for n in data["n_commitments"]
            ],
            textposition="inside",
            insidetextanchor="start",
            hovertemplate=_("{plan}: {start}–{years} years").format(
                plan="%{y}", start="%{base:.0f}", years="%{x:.0f}"
            )
            + "<extra></extra>",
        )
    )
    _layout(fig, title, _("Year"), _("Action plan"), height=max(240, 110 + 40 * len(data)))
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False)
    # upright years, thinned to about six labels (one per year stood at 90 degrees on a phone)
    years = float((end.max() - start.min()) if len(data) and start.notna().any() else 1)
    fig.update_xaxes(
        dtick=count_step(years, 6), tickformat="d", tickangle=0, showgrid=True, gridcolor="#EEEEEE"
    )
    plans = ngettext("{n} action plan", "{n} action plans", len(data)).format(n=i18n.number(len(data)))
    if len(data) and start.notna().any():
        alt = _("{title}. {plans} from {first} to {last}.").format(
            title=title, plans=plans, first=int(start.min()), last=int(end.max())
        )
    else:
        alt = f"{title}. {plans}."
    return Chart(fig, alt, df, slug(title))


def share_by(
    df: pd.DataFrame,
    *,
    x: str,
    level: str,
    count: str,
    positive: tuple[str, ...],
    assessed: tuple[str, ...],
    group: str,
) -> pd.DataFrame:
    """Per value of `x`: the percentage of rows at a `positive` level among rows at an
    `assessed` level, labelled with `group` (for comparing a theme or member with all)."""
    d = df.assign(_pos=df[level].isin(positive) * df[count], _ass=df[level].isin(assessed) * df[count])
    out = d.groupby(x, as_index=False)[["_pos", "_ass"]].sum()
    out["percent"] = (100 * out["_pos"] / out["_ass"].where(out["_ass"] > 0)).round(1)
    return out.rename(columns={"_pos": "count", "_ass": "assessed"}).assign(group=group)
