"""The summit deck (/present): which slides, in which order, and what each one shows.

Pure, like ogp.render.charts: rows and DataFrames in, slide definitions, headline figures and
projector-sized `Chart`s out. No Streamlit, no SQL: pages/present.py gets the member and theme
views (ogp.render.views, the figures the pages show) and lays the slides out."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from ogp.model import i18n, measures, text
from ogp.model.i18n import N_, _, number
from ogp.model.themes import Theme
from ogp.render import charts, views
from ogp.render.charts import Chart

# Projector sizes: read from the back of a hall on a 1920x1080 screen.
FONT_SIZE = 20
TITLE_SIZE = 28
COUNT_SIZE = 15  # the counts under a small share's percentage, narrower than its bar
BAR_GAP = 0.1  # between a comparison's groups of bars: the bars as wide as their labels
# A slide's chart takes the height its slide leaves (pages/present.py: height="stretch");
# the figure's own height is what the chart keeps when there is less (and the PNG's aspect).
CHART_HEIGHT = 320
# Titles and legends wrap for the narrowest width a chart gets on a 1280 px projector:
WIDE_CHART_WIDTH = 760  # the title slide's chart, beside the population covered (770 measured)
SLIDE_CHART_WIDTH = 660  # a theme's or member's comparison, 3/5 of the slide
SIDE_CHART_WIDTH = 420  # the ranking beside the map, a member's plans beside its comparison
MAP_HEIGHT = 420
# charts.wrap_title budgets 0.62 em a letter, for any font; a slide's titles are drawn in the
# charts' own font, measured at about 0.47 em (Spanish "Espacio cívico frente a todos los": 435 px
# at 28 px). Wrapped for 1.15 times the width (0.54 em a letter), a French or Spanish theme's
# title takes one line where it fits: on two lines it left the bars 75-100 px tall at 1280x720.
TITLE_ROOM = 1.15
LETTER = 0.52  # em a letter of a legend's names, in the charts' font (regular weight)
# A projector's comparison writes a share this high inside its bar, at the top: above it, "100%"
# and its counts rose past the plot into the legend (Spain's spotlight; the plot is ~100 px
# tall at 1280x720). Lower shares keep their label above the bar, with room under the legend.
INSIDE_FROM = 70
LEGEND_BESIDE_SIZE = COUNT_SIZE  # a legend beside its plot: seven levels in a 1280x720 plot's ~165 px


@dataclass(frozen=True)
class Screen:
    """What a slide's charts are drawn for: type sizes, the widths their titles and legends wrap
    for, a chart's own height, and whether a comparison's bars stand (a projector) or lie down (a
    phone: eight upright bars in 340 px left no room for their labels)."""

    name: str
    font: int
    title: int
    count: int  # the counts under a small share's percentage
    wide: int  # the title slide's chart
    slide: int  # a theme's or member's comparison
    side: int  # the ranking beside the map, a member's plans beside its comparison
    height: int
    upright: bool = True


PROJECTOR = Screen(
    "projector",
    FONT_SIZE,
    TITLE_SIZE,
    COUNT_SIZE,
    WIDE_CHART_WIDTH,
    SLIDE_CHART_WIDTH,
    SIDE_CHART_WIDTH,
    CHART_HEIGHT,
)
# A phone (390 px, charts the screen's width): the dashboard's own phone widths, type a little
# larger than its pages' (a slide says less), each chart as tall as it needs (the slide scrolls).
PHONE = Screen("phone", 14, 18, 12, charts.NARROWEST, charts.NARROWEST, charts.NARROWEST, 420, upright=False)
LYING_GROUP = 80  # px of a phone comparison's height per measure (two bars and their labels)
TEXT_COLOUR = "#1B2631"
# Shown through _() (pages/present.py, the charts below).
DECK_TITLE = N_("Open Government Partnership")
DECK_SUBTITLE = N_(
    "How members deliver on the commitments of their action plans, "
    "as assessed by the Independent Reporting Mechanism (IRM)"
)
SUBSET_NOTE = N_("The bundled exports are a subset of OGP's work.")  # in full under Data


@dataclass(frozen=True)
class Slide:
    kind: str  # "member" | "title" | "map" | "theme"
    title: str
    slug: str  # stable id: widget keys and image file names
    theme: Theme | None = None
    member: str | None = None  # member code of a spotlight

    @property
    def item(self) -> str:
        """The slide as a story link names it (`?slides=title,map,member:ESP,theme:open-budgets`)."""
        if self.member is not None:
            return member_item(self.member)
        if self.theme is not None:
            return theme_item(self.theme.slug)
        return self.kind


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    note: str = ""


# -- stories: the slides a link names, in its order ------------------------------------------
TITLE, MAP, MEMBER, THEME = "title", "map", "member:", "theme:"  # a story link's items
MAX_SLIDES = 40  # items of a link read at most (a story of every theme and a dozen members fits)
SHOWN_CHARS = 40  # of an item left out, as the note quotes it


def member_item(code: str) -> str:
    """A member's spotlight as a story link names it: `member:ESP`."""
    return f"{MEMBER}{code}"


def theme_item(slug: str) -> str:
    """A theme's slide as a story link names it: `theme:open-budgets`."""
    return f"{THEME}{slug}"


def default_story(themes: Sequence[Theme], member: str | None = None) -> list[str]:
    """The whole deck: a member's spotlight first (when asked for, so its link opens on it), then
    the title slide, the world map and one slide per theme in the order of data/themes.toml."""
    return ([member_item(member)] if member else []) + [TITLE, MAP] + [theme_item(t.slug) for t in themes]


def parse_story(raw: str, themes: Sequence[Theme], members: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """The items of a story link (`title,map,member:ESP,theme:open-budgets`) that name a slide,
    in their order, each once and spelled as the deck spells it (`member:esp` is `member:ESP`);
    and the others as given (cut to SHOWN_CHARS), for the page to say what it left out. Blank
    items (`title,,map`, a trailing comma) are no slide and no mistake either."""
    slugs = {t.slug for t in themes}
    items: list[str] = []
    dropped: list[str] = []
    for given in (part.strip() for part in str(raw).split(",")):
        if not given:
            continue
        kind, sep, value = given.partition(":")
        kind, value = kind.strip().lower(), value.strip()
        item = None
        if not sep and kind in (TITLE, MAP):
            item = kind
        elif sep and f"{kind}:" == MEMBER and value.upper() in members:
            item = member_item(value.upper())
        elif sep and f"{kind}:" == THEME and value.lower() in slugs:
            item = theme_item(value.lower())
        if item is None or item in items or len(items) == MAX_SLIDES:
            dropped.append(given[:SHOWN_CHARS] + ("…" if len(given) > SHOWN_CHARS else ""))
        else:
            items.append(item)
    return items, dropped


def build_story(items: Sequence[str], themes: Sequence[Theme], members: Mapping[str, str]) -> list[Slide]:
    """The slides of a story's items (as parse_story returns them: each names a slide)."""
    by_slug = {t.slug: t for t in themes}
    slides = []
    for item in items:
        if item == TITLE:
            slides.append(Slide(TITLE, _(DECK_TITLE), "overview"))
        elif item == MAP:
            slides.append(Slide(MAP, _("Where the commitments are"), "map"))
        elif item.startswith(MEMBER):
            code = item.removeprefix(MEMBER)
            slides.append(Slide("member", members.get(code) or code, f"member-{code.lower()}", member=code))
        elif item.startswith(THEME):
            theme = by_slug[item.removeprefix(THEME)]
            slides.append(Slide("theme", theme.short, theme.slug, theme=theme))
    return slides


def build_deck(
    themes: Sequence[Theme], member: str | None = None, member_name: str | None = None
) -> list[Slide]:
    """The whole deck (default_story), a member's spotlight first when asked for."""
    return build_story(
        default_story(themes, member), themes, {member: member_name or member} if member else {}
    )


def story_options(themes: Sequence[Theme], members: Mapping[str, str]) -> dict[str, str]:
    """Every slide a story can hold, item -> what the story editor calls it: the title slide, the
    map, each theme, each member (in the order of `members`: by name)."""
    options = {TITLE: _("Title slide"), MAP: _("World map")}
    options |= {theme_item(t.slug): _("Theme: {name}").format(name=t.short) for t in themes}
    options |= {member_item(code): _("Member: {name}").format(name=name) for code, name in members.items()}
    return options


def with_slide(items: Sequence[str], item: str, after: int) -> tuple[list[str], int]:
    """The story with `item` right after slide number `after` (1-based), unless it holds it
    already; and the slide number where `item` is (a click on the map opens a spotlight next)."""
    items = list(items)
    if item not in items:
        items.insert(min(max(after, 0), len(items)), item)
    return items, items.index(item) + 1


def moved(items: Sequence[str], index: int, delta: int) -> list[str]:
    """The story with its item at `index` (0-based) moved `delta` places, within the story."""
    items = list(items)
    if 0 <= index < len(items):
        to = min(max(index + delta, 0), len(items) - 1)
        items.insert(to, items.pop(index))
    return items


def slide_number(value: object, count: int) -> int:
    """A 1-based slide number from anything (URL text, session state): out of range,
    not a number or hostile means the first slide."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return n if 1 <= n <= count else 1


def step(current: object, delta: int, count: int) -> int:
    """The slide `delta` away from `current`, staying inside the deck."""
    return min(max(slide_number(current, count) + delta, 1), count)


# -- figures ------------------------------------------------------------------------------
def headline_figures(h: Mapping) -> list[Figure]:
    """The title slide: six figures, each with the counts behind it (ogp/model/measures.py)."""
    m = measures
    return [
        Figure(
            m.MEMBERS.label,
            m.MEMBERS.value(h),
            _("{national} national, {local} local").format(
                national=number(h["members_national"]), local=number(h["members_local"])
            ),
        ),
        Figure(m.ACTION_PLANS.label, m.ACTION_PLANS.value(h), _("submitted {years}").format(years=_years(h))),
        Figure(
            m.COMMITMENTS.label, m.COMMITMENTS.value(h), _("in the action plans, assessed by the IRM or not")
        ),
        Figure(m.HIGH_COMPLETION.label, m.HIGH_COMPLETION.value(h), m.HIGH_COMPLETION.detail(h)),
        Figure(m.AMBITIOUS.label, m.AMBITIOUS.value(h), m.AMBITIOUS.detail(h)),
        # "(% of rated)" as on the comparison charts: the long label took three lines of a
        # 1280 px slide; the detail under it says what "rated" is (a star formula was applied)
        Figure(m.STARRED.category, m.STARRED.value(h), m.STARRED.detail(h)),
    ]


def theme_figures(view: views.ThemeView) -> list[Figure]:
    """A theme's slide: the theme view's figures (ogp.render.views.theme), in the deck's words."""
    m, mine, world = measures, view.headline, view.world
    commitments = view.figure("commitments")
    return [
        Figure(m.COMMITMENTS.label, commitments.value, commitments.help),
        Figure(m.MEMBERS.label, view.figure("members").value, _("with commitments in this theme")),
        Figure(
            m.HIGH_COMPLETION.label,
            m.HIGH_COMPLETION.value(mine),
            _("{detail}; all commitments: {share}").format(
                detail=m.HIGH_COMPLETION.detail(mine), share=m.HIGH_COMPLETION.value(world)
            ),
        ),
        Figure(
            m.STARRED.label,
            number(mine["starred"]),
            _("of {n} starred commitments in all").format(n=number(world["starred"])),
        ),
    ]


def member_figures(view: views.Member) -> list[Figure]:
    """A member's spotlight: the member view's figures (ogp.render.views.member), in the deck's words."""
    m, mine, world = measures, view.headline, view.world
    assessed = mine["completion_assessed"]
    return [
        Figure(
            m.ACTION_PLANS.label,
            view.figure("action_plans").value,
            _("submitted {years}").format(years=_years(mine)),
        ),
        Figure(m.COMMITMENTS.label, view.figure("commitments").value, _("in these exports")),
        Figure(
            m.HIGH_COMPLETION.label,
            m.HIGH_COMPLETION.value(mine) if assessed else _("Pending"),
            _("all members: {share}").format(share=m.HIGH_COMPLETION.value(world))
            if assessed
            else _("no IRM completion assessment yet"),
        ),
        Figure(
            m.AMBITIOUS.label,
            m.AMBITIOUS.value(mine) if mine["ambition_assessed"] else _("Pending"),
            _("{what}; all members: {share}").format(what=m.AMBITIOUS.short, share=m.AMBITIOUS.value(world)),
        ),
        Figure(
            m.STARRED.label, number(mine["starred"]), _("of {n} in all").format(n=number(world["starred"]))
        ),
    ]


def _years(h: Mapping) -> str:
    lo, hi = h.get("first_year"), h.get("last_year")
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return _("years unknown")
    return f"{int(lo)}–{int(hi)}" if lo != hi else _("in {year}").format(year=int(lo))


def member_line(member: Mapping) -> str:
    parts = (text.member_kind(member.get("kind")), i18n.region(member.get("region")))
    return " · ".join(str(p) for p in parts if p and not pd.isna(p))


# -- charts -------------------------------------------------------------------------------
def projector(
    chart: Chart,
    *,
    height: int | None = None,
    top: int = 100,
    width: int | None = None,
    prefix: str = "ogp-summit",
    screen: Screen = PROJECTOR,
) -> Chart:
    """The same chart in the deck's type sizes for `screen` (a projector's by default), its
    title wrapped for `width` px (the screen's comparison width), its image file named for the deck."""
    fig = go.Figure(chart.fig)
    font = {"size": screen.font, "color": TEXT_COLOUR}
    width = width or screen.slide
    fig.update_layout(
        height=height or screen.height,
        font=font,
        title={"font": {"size": screen.title, "color": TEXT_COLOUR}},
        legend={"font": font},
        hoverlabel={"font": {"size": screen.font}},
        margin={"l": 10, "r": 10, "t": top, "b": 10},
    )
    # Streamlit's chart theme sets small grey axis fonts: set them explicitly, dark, large.
    fig.update_xaxes(tickfont=font, title_font=font)
    fig.update_yaxes(tickfont=font, title_font=font)
    # bar labels: white on the bar when inside it, dark beside or above it
    fig.update_traces(
        textfont={"size": screen.font},
        insidetextfont={"size": screen.font, "color": "#FFFFFF"},
        outsidetextfont=font,
        selector={"type": "bar"},
    )
    if not any(t.type in ("choroplethmap", "scattermap") for t in fig.data):  # maps place their own
        title = charts.wrap_title(chart.title, screen.title, int(width * TITLE_ROOM))
        fig.update_layout(title={"text": title})
        charts.fit_top(fig, title_size=screen.title, legend_size=screen.font, width=width)
        # the legend's rows as plotly draws them, not as fit_top counted them (see _legend_rows)
        more = _legend_rows(fig, screen.font, width) - charts.legend_rows(fig, screen.font, width)
        if more:
            extra = int(more * screen.font * 1.75)
            fig.update_layout(margin={"t": fig.layout.margin.t + extra})
            if not screen.upright:  # a phone's chart grows; a projector's keeps the slide's height
                fig.update_layout(height=fig.layout.height + extra)
    name = charts.slug(f"{prefix} {chart.name}")
    return Chart(fig, chart.alt, chart.data, name)


def _legend_rows(fig: go.Figure, size: int, width: int) -> int:
    """The rows of a horizontal legend as plotly lays it out: in the plot's width (the chart's
    less about 100 px of y axis), one row if every item fits, else columns as wide as the widest
    item (plotly.js computeLegendDimensions), an item being its symbol and gap and its name in
    the charts' font (about LETTER em a letter). charts.legend_rows, for any font, packs items
    one after another at 0.6 em: French levels on a phone took seven rows where it counted four
    (the legend ran over the title), and a French theme's two items one row where it counted two
    (35 px of a 1280x720 slide's bars)."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False and t.type != "heatmap"]
    if len(names) < 2 or fig.layout.showlegend is False:
        return 0
    items = [45 + LETTER * size * len(str(name)) for name in names]  # symbol 40 px, gap 5 px
    room = width - 100
    if sum(items) <= room:
        return 1
    return -(-len(items) // max(1, int(room // max(items))))


def compare_chart(rows: pd.DataFrame, focus: str, title: str, screen: Screen = PROJECTOR) -> Chart:
    """A theme or member against all (rows from ui.member_vs_all)."""
    chart = projector(
        charts.compare_bars(
            rows,
            category="measure",
            value="percent",
            group="group",
            count="count",
            whole="of",
            focus=focus,
            title=title,
            x_label=_(measures.COMPARED_AXIS),  # each bar says its own denominator
            y_label=_("Share (%)"),
        ),
        screen=screen,
    )
    # a share's counts on a second, smaller line ("15%" / "2 of 13"): plotly shrank "15% (2 of 13)"
    # to its bar's width, unreadable on a projector. A label is as wide as its bar at most (a
    # wider one ran under its neighbour bar: "(0 sur 15)" at 1280 px): no brackets on that line,
    # and bars filling their group (bargap).
    for trace in chart.fig.data:
        if trace.type == "bar" and trace.text is not None:
            trace.text = [_two_lines(t, screen.count) for t in trace.text]
    chart.fig.update_traces(constraintext="none", cliponaxis=False, selector={"type": "bar"})
    chart.fig.update_layout(bargap=BAR_GAP)
    measures_shown = list(dict.fromkeys(rows["measure"]))
    # room for "100%" and its counts beside a bar, but no tick past 100%: no share is 120%
    ticks = list(range(0, 101, 50))  # every bar says its share: three ticks, not crowded
    share_axis = {
        "range": [0, 125],
        "tickvals": ticks,
        "ticktext": [f"{t}{i18n.percent_sign()}" for t in ticks],
    }
    if screen.upright:
        _tall_labels_inside(chart.fig)
        chart.fig.update_yaxes(**share_axis)
        # measure names on two upright lines ("High completion" / "(% of rated)"), not at 45 degrees
        chart.fig.update_xaxes(
            tickangle=0,
            tickvals=measures_shown,
            ticktext=[_tick(m, count=screen.count) for m in measures_shown],
        )
        return chart
    return _lying(chart, measures_shown, share_axis, screen)


def _tall_labels_inside(fig: go.Figure) -> None:
    """A share of INSIDE_FROM% or more says its label inside its bar, at the top: white on the
    focus colour, dark on the grey of all (each 5:1 or more)."""
    for trace in fig.data:
        if trace.type == "bar" and trace.text is not None:
            inside = [pd.notna(v) and v >= INSIDE_FROM for v in trace.y]
            dark = str(trace.marker.color).upper() == text.ALL_COLOUR.upper()
            trace.update(
                textposition=["inside" if i else "outside" for i in inside],
                insidetextanchor="end",
                insidetextfont={"color": TEXT_COLOUR if dark else "#FFFFFF"},
            )


def _legend_beside(chart: Chart, screen: Screen) -> Chart:
    """The legend beside the plot, one item a line from its top, in the counts' smaller type:
    above the plot, a level legend's two or three rows left a 1280x720 projector's plot about
    50 px tall; beside it in the charts' type, plotly scrolled the seven levels (a legend
    beside a plot gets the plot's height)."""
    fig = chart.fig
    title = fig.layout.title.text or ""
    lines = title.count("<br>") + 1 if title else 0
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 1.02,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "yref": "paper",
            "font": {"size": LEGEND_BESIDE_SIZE},
            "tracegroupgap": 0,
        },
        margin={"t": int(charts.MODEBAR + lines * screen.title * 1.3 + 8)},
    )
    return chart


def _lying(chart: Chart, categories: list, share_axis: dict, screen: Screen) -> Chart:
    """The comparison with its bars lying down, measures from the top (a phone): a label then
    needs room beside its bar, not a bar as wide as the label. The measures' axis has no title
    of its own: each measure's name says what its bars are a share of ("(% of rated)")."""
    fig = chart.fig
    share = i18n.percent_sign()
    for trace in fig.data:
        if trace.type == "bar":
            trace.update(
                x=trace.y,
                y=trace.x,
                orientation="h",
                hovertemplate=f"{trace.name}<br>%{{y}}: %{{x:.1f}}{share}<extra></extra>",
            )
    fig.update_layout(
        xaxis={
            "type": "linear",
            "categoryarray": None,
            "categoryorder": None,
            "title": {"text": fig.layout.yaxis.title.text},
        },
        yaxis={"title": {"text": None}},
        height=int(fig.layout.margin.t + LYING_GROUP * len(categories) + 60),
    )
    # a bar at 100% and its label "100%" / "13 of 19" beside it
    fig.update_xaxes(**{**share_axis, "range": [0, 140]}, tickangle=0)
    fig.update_yaxes(
        type="category",
        range=None,
        ticksuffix=None,
        categoryorder="array",
        categoryarray=categories,
        autorange="reversed",
        tickvals=categories,
        ticktext=[_tick(m, 12, screen.count) for m in categories],
    )
    return chart


def _two_lines(label: object, count: int = COUNT_SIZE) -> str:
    """ "15% (2 of 13)" as "15%" over a smaller "2 of 13" (the counts' brackets dropped)."""
    # charts.compare_bars already puts the counts under the share ("15%<br>(2 of 13)")
    value, sep, counts = str(label).replace("<br>(", " (").partition(" (")
    if not sep:
        return value
    return f"{value}<br><span style='font-size:{count}px'>{counts.removesuffix(')')}</span>"


def _counts_in_ticks(chart: Chart, years: int = 4, count: int = COUNT_SIZE, font: int = FONT_SIZE) -> Chart:
    """A horizontal bar's label ("21 commitments") under its category's name at the axis, not
    inside the bar: plotly shrank it to the bar's length (8 px on a 1280 px projector). About
    `years` year ticks: six ran into each other beside the comparison. The ticks' own type is
    the counts' and the name a larger span: plotly spaces a tick's lines by its own type (1.3
    em), and two lines of 20 px (52 px) overlapped the next plan's in 44 px (Spain's four plans
    in French at 1280x720)."""
    for trace in chart.fig.data:
        if trace.type == "bar" and trace.text is not None:
            spans = [(b, b + x) for b, x in zip(trace.base, trace.x) if pd.notna(b) and pd.notna(x)]
            if spans:
                first, last = min(s for s, _e in spans), max(e for _s, e in spans)
                chart.fig.update_xaxes(dtick=charts.count_step(last - first, years))
            chart.fig.update_yaxes(
                tickvals=list(trace.y),
                ticktext=[
                    f"<span style='font-size:{font}px'>{y}</span><br>{t}" for y, t in zip(trace.y, trace.text)
                ],
                tickfont={"size": count},
            )
            trace.text = None
    return chart


def _tick(measure: object, chars: int = 13, count: int = COUNT_SIZE) -> str:
    """A measure's name under its bars: the name and its denominator ("(% of rated)") each on
    their own lines, wrapped at about a bar group's width (French names ran into each other)."""
    name, _sep, rest = str(measure).partition(" (")
    # the denominator in the counts' smaller type: French "(% des évalués)" ran into its neighbour
    # ... wrapped too: "(% of rated, latest rating)" names the completion rating as well
    lines = textwrap.wrap(name, chars) + [
        f"<span style='font-size:{count}px'>{line}</span>"
        for line in textwrap.wrap(f"({rest}" if rest else "", chars + 4)
    ]
    return "<br>".join(lines)


def theme_chart(rows: pd.DataFrame, theme: Theme, screen: Screen = PROJECTOR) -> Chart:
    title = _("{theme} against all commitments").format(theme=theme.short)
    return compare_chart(rows, theme.short, title, screen)


def member_charts(
    rows: pd.DataFrame, plans: pd.DataFrame, name: str, screen: Screen = PROJECTOR
) -> tuple[Chart, Chart]:
    compare = compare_chart(rows, name, _("{member} against all members").format(member=name), screen)
    timeline = charts.plans_timeline(plans, title=_("Action plans of {member}").format(member=name))
    # on a projector 2/5 of the slide, beside the comparison; on a phone as tall as its plans need
    height = None if screen.upright else 170 + 60 * len(plans)
    timeline = projector(timeline, width=screen.side, screen=screen, height=height)
    return compare, _counts_in_ticks(timeline, count=screen.count, font=screen.font)


def completion_chart(by_year: pd.DataFrame, screen: Screen = PROJECTOR) -> Chart:
    """The title slide's picture: completion of commitments by year of submission."""
    chart = projector(
        views.completion_by_year_chart(by_year),
        width=screen.wide,
        screen=screen,
        # on a phone its legend takes four rows: the bars keep about 250 px under them
        height=None if screen.upright else screen.height + 100,
    )
    # levels_bar orders categories by first appearance across traces: put the years in order.
    chart.fig.update_xaxes(categoryorder="category ascending")
    # at most three counts up the side: plotly keeps five on a short axis, and on a 1280x720
    # projector (a 70 px tall plot under the French legend's three rows) they ran into each other
    chart.fig.update_yaxes(nticks=3)
    return _legend_beside(chart, screen) if screen.upright else chart


def map_chart(chart: Chart) -> Chart:
    """The world map for a slide: about 1,100 px wide and this tall shows every member without
    repeating the world (a wider map crops the south, a taller one leaves no room)."""
    slide = projector(chart, height=MAP_HEIGHT, top=50)
    # a wide slide has room for the toolbar beside the title: no row of its own above it (ogp.render.maps)
    slide.fig.update_layout(title={"pad": {"t": 0}})
    return slide


def phone_map(chart: Chart) -> Chart:
    """The world map on a phone: the map page's own (drawn for a phone's width, opening on the
    Americas), its image file named for the deck."""
    return Chart(chart.fig, chart.alt, chart.data, charts.slug(f"ogp-summit {chart.name}"))


def top_members_chart(by_member: pd.DataFrame, n: int = 10, screen: Screen = PROJECTOR) -> Chart:
    """Beside the map: the members with the most commitments."""
    top = by_member.nlargest(n, "commitments")
    return projector(
        charts.ranking_bar(
            top,
            label="member_name",
            value="commitments",
            x_label=_("Commitments"),
            title=i18n.ngettext(
                "The {n} member with the most commitments",
                "The {n} members with the most commitments",
                len(top),
            ).format(n=len(top)),
        ),
        height=MAP_HEIGHT,
        top=50,
        width=screen.side,
        screen=screen,
    )


# Constant CSS only (never data): no sidebar, header or toolbar; projector type sizes.
# One slide is one screen: the slide (.st-key-deck-slide) is as tall as the window above the
# navigation bar; its title, figures and source line take their own height and its stage
# (.st-key-deck-stage: the chart and what stands beside it) the rest, the chart stretching to
# it. Type scales with the window's height (vh) between a laptop's and a 1080p projector's;
# the figures with its width too (Spanish "2,6 mil millones" was cut on a 16:10 1440x900 screen).
DECK_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stAppHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"] {display: none !important;}
[data-testid="stMainBlockContainer"] {padding: .6rem 3rem 0 3rem !important; max-width: 100% !important;}
[data-testid="stLayoutWrapper"]:has(> .st-key-deck-slide) {height: calc(100vh - 5.2rem) !important;}
.st-key-deck-slide {height: 100% !important; flex-wrap: nowrap !important; gap: .6rem !important;}
[data-testid="stLayoutWrapper"]:has(> .st-key-deck-stage) {flex: 1 1 0 !important; min-height: 0 !important;}
.st-key-deck-stage, .st-key-deck-stage [data-testid="stLayoutWrapper"], .st-key-deck-stage [data-testid="stHorizontalBlock"],
.st-key-deck-stage [data-testid="stColumn"], .st-key-deck-stage [data-testid="stColumn"] > [data-testid="stVerticalBlock"] {height: 100% !important;}
[data-testid="stMain"] h1 {font-size: clamp(2rem, 6vh, 3.2rem) !important; padding: 0 0 .6rem 0 !important; line-height: 1.15 !important;}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p {font-size: clamp(1rem, 2.5vh, 1.4rem); line-height: 1.4;}
[data-testid="stMain"] [data-testid="stCaptionContainer"] p {font-size: clamp(.95rem, 2.2vh, 1.15rem) !important; color: #2B3946;}
[data-testid="stMetric"] {padding: .5rem .9rem !important;}
[data-testid="stMetricValue"] p {font-size: clamp(2rem, min(5.5vh, 3.2vw), 3.4rem) !important; line-height: 1.1 !important; font-weight: 700; color: #003F6B;}
/* metric labels wrap instead of ending in "…" (High completion on a 1280 px projector) */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; word-break: normal !important; overflow-wrap: normal !important;}
[data-testid="stMetricLabel"] p {font-size: clamp(1.05rem, 2.6vh, 1.4rem) !important; color: #1B2631; line-height: 1.2;}
/* the help "?" clear of the label's last letter: with the label no longer cut, a word as wide
   as its column ran 1-2 px into the icon ("Commitments?" on a phone) */
[data-testid="stMetricLabel"] > :first-child {min-width: min-content;}
[data-testid="stMetricLabel"] [data-testid="stTooltipIcon"] {margin-left: .25rem;}
.st-key-deck-nav {position: fixed; left: 0; right: 0; bottom: 0; z-index: 999; padding: .3rem 3rem;
  background: #F2F5F8; border-top: 2px solid #0072B2;}
/* the story's button says its name where the bar has room; under 1600 px its icon (and its
   tooltip): French slide numbers went behind "…" at 1280 px */
@media (max-width: 1599px) {
  .st-key-deck-story [data-testid="stMarkdownContainer"] {position: absolute; width: 1px; height: 1px;
    overflow: hidden; clip-path: inset(50%); white-space: nowrap;}
}
/* Previous/Next are the deck's own buttons (with the arrow-key shortcuts): no second pair of arrows */
.st-key-deck-nav [data-testid="stPaginationPrev"], .st-key-deck-nav [data-testid="stPaginationNext"] {display: none;}
/* figures of a row as tall as each other (a label on two lines made its box taller) */
.st-key-figures-deck {align-items: stretch !important;}
.st-key-figures-deck [data-testid="stMetric"] {height: 100%;}
/* Each chart is drawn twice: for a projector (stretching to the slide) and for a phone; one shows */
@media (min-width: 641px) {
  [class*="st-key-phone-"], [class*="st-key-worldmap-phone-"],
  .st-key-deck-nav [data-testid="stElementContainer"]:has([data-testid="stText"]) {display: none !important;}
}
/* A phone (Streamlit stacks columns under 641 px): the slide is one column as long as it needs,
   read by scrolling, with room under it for the bar; the bar is one row: arrows, "4 / 14", the
   language, the way out (the words stay for screen readers, out of sight). */
@media (max-width: 640px) {
  [class*="st-key-wide-"], [class*="st-key-worldmap-wide-"] {display: none !important;}
  [data-testid="stMainBlockContainer"] {padding: .5rem 1rem 5rem 1rem !important;}
  [data-testid="stLayoutWrapper"]:has(> .st-key-deck-slide), .st-key-deck-slide,
  .st-key-deck-stage, .st-key-deck-stage [data-testid="stLayoutWrapper"], .st-key-deck-stage [data-testid="stHorizontalBlock"],
  .st-key-deck-stage [data-testid="stColumn"], .st-key-deck-stage [data-testid="stColumn"] > [data-testid="stVerticalBlock"] {height: auto !important;}
  [data-testid="stLayoutWrapper"]:has(> .st-key-deck-stage) {flex: none !important;}
  [data-testid="stMain"] h1 {font-size: 2rem !important;}
  [data-testid="stMain"] [data-testid="stMarkdownContainer"] p {font-size: 1rem;}
  [data-testid="stMain"] [data-testid="stCaptionContainer"] p {font-size: .95rem !important;}
  [data-testid="stMetricValue"] p {font-size: 1.7rem !important;}
  [data-testid="stMetricLabel"] p {font-size: 1rem !important;}
  .st-key-deck-nav {padding: .3rem .75rem;}
  /* a phone reads a story; it is edited on a larger screen (the bar keeps one row) */
  .st-key-deck-nav [data-testid="stElementContainer"]:has(.st-key-deck-story), .st-key-deck-story {display: none !important;}
  .st-key-deck-nav [data-testid="stElementContainer"]:has([data-testid="stPagination"]) {display: none;}
  .st-key-deck-nav [data-testid="stElementContainer"]:has([data-testid="stText"]) {flex: 1 1 auto; text-align: center;}
  .st-key-deck-nav [data-testid="stButton"] [data-testid="stMarkdownContainer"],
  .st-key-deck-nav [data-testid="stPageLink"] [data-testid="stMarkdownContainer"] {position: absolute; width: 1px;
    height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;}
}
</style>"""
