"""What the overview, a member and a theme show, computed once: the figures (label, value as
shown, its explanation) and the data of each chart, in a shape a Streamlit page, the deck, the
member brief and the baked public site (ogp/ops/bake.py) all render.

Pure: no Streamlit, no store. A view takes `run(name, filters=None, **params) -> DataFrame`, the
caller's way to run a named query of queries/*.sql with national members' names in the active
language: `ui.run` in the dashboard (cached per session), `runner(store)` below elsewhere. The
words come from ogp/model/measures.py in the active language (ogp.model.i18n), so a figure reads the same
wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ogp.data import population
from ogp.model import i18n, measures, scales, text
from ogp.model.filters import Filters
from ogp.model.i18n import _, number
from ogp.model.themes import Theme, load_themes, theme_by_slug
from ogp.render import charts
from ogp.render import monitor as monitor_lists
from ogp.render.charts import Chart

Run = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Figure:
    """One figure as a tile shows it: `value` is the text (a locale number or a share)."""

    key: str
    label: str
    value: str
    help: str = ""


class _Figures:
    figures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure:
        """The figure of `key` (e.g. "commitments")."""
        return next(f for f in self.figures if f.key == key)


@dataclass(frozen=True)
class Overview(_Figures):
    figures: tuple[Figure, ...]
    population_note: str  # the line beside the population figure
    completion_by_year: pd.DataFrame  # year_submitted, completion, commitments
    completion_by_cycle: pd.DataFrame  # action_plan, completion, commitments
    by_member: pd.DataFrame  # queries/by_member.sql: one row per member (the map)
    headline: pd.Series = field(repr=False, default=None)


@dataclass(frozen=True)
class Member(_Figures):
    code: str
    name: str
    facts: tuple[str, ...]  # kind, region, status: as shown under the name
    figures: tuple[Figure, ...]
    pending: bool  # nothing assessed yet
    plans: pd.DataFrame  # queries/member_plans.sql
    themes: pd.DataFrame  # theme (its short name), slug, commitments, ...
    versus: pd.DataFrame  # measure, group, percent, count, of: the member against all members
    headline: pd.Series = field(repr=False, default=None)
    world: pd.Series = field(repr=False, default=None)  # the headline of all members
    info: pd.Series = field(repr=False, default=None)  # queries/member.sql: name, kind, region, status

    @property
    def by_theme(self) -> pd.DataFrame:
        """`themes` as the member page charts (and exports) them: without the slug."""
        return self.themes.drop(columns="slug")


@dataclass(frozen=True)
class ThemeView(_Figures):
    theme: Theme
    figures: tuple[Figure, ...]
    few_assessed: int | None  # the number assessed when under 5 (the page warns), else None
    versus: pd.DataFrame  # the theme against all commitments
    by_member: pd.DataFrame  # queries/by_member.sql within the theme (the map)
    most: pd.DataFrame  # the TOP members with most commitments in the theme
    advanced: pd.DataFrame  # the TOP members by high completion, 3+ assessed in the theme
    headline: pd.Series = field(repr=False, default=None)
    world: pd.Series = field(repr=False, default=None)  # the headline of all commitments


@dataclass(frozen=True)
class Cycles:
    """One measure of a theme by action-plan cycle against all (theme_cycles): its chart's data and words."""

    key: str
    frame: pd.DataFrame  # action_plan ("Plan 1"), percent, count, assessed, group
    title: str
    y_label: str


TOP = 10
ADVANCED_FROM = 3  # assessed commitments a member needs in a theme to rank among the most advanced
ALL = Filters()  # no filter: the latest state of every commitment


def runner(store) -> Run:
    """`run` over a store (ogp.data.store.Store, or anything with `.query(name, **params)`): each
    query's frame kept for the life of the runner, member names localised on every call."""
    kept: dict[tuple, pd.DataFrame] = {}

    def run(name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
        merged = {**(filters.params() if filters else {}), **params}
        key = (name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in merged.items())))
        if key not in kept:
            kept[key] = store.query(name, **merged)
        return i18n.localise_members(kept[key]).copy(deep=False)

    return run


# -- the overview ---------------------------------------------------------------------------
def overview(run: Run, filters: Filters = ALL) -> Overview | None:
    """The overview's figures and charts; None when no commitment matches `filters`."""
    h = run("headline", filters).iloc[0]
    if not h["commitments"]:
        return None
    amb, early = measures.AMBITIOUS, measures.EARLY_RESULTS
    by_member = run("by_member", filters)
    covered = population.covered(by_member)
    figures = (
        Figure(
            "members",
            measures.MEMBERS.label,
            measures.MEMBERS.value(h),
            _("{national} national, {local} local").format(
                national=number(h["members_national"]), local=number(h["members_local"])
            )
            + ": "
            + measures.MEMBERS.counts,
        ),
        Figure(
            "action_plans",
            measures.ACTION_PLANS.label,
            measures.ACTION_PLANS.value(h),
            measures.ACTION_PLANS.counts,
        ),
        Figure(
            "commitments",
            measures.COMMITMENTS.label,
            measures.COMMITMENTS.value(h),
            _("Submitted {first}–{last}").format(first=h["first_year"], last=h["last_year"])
            + ": "
            + measures.COMMITMENTS.counts,
        ),
        Figure(
            measures.HIGH_COMPLETION.key,
            measures.HIGH_COMPLETION.rated_label(filters.rating),
            measures.HIGH_COMPLETION.value(h),
            f"{measures.HIGH_COMPLETION.detail(h, filters.rating)}. {measures.HIGH_COMPLETION.condition}",
        ),
        Figure(
            amb.key,
            amb.label,
            amb.value(h),
            _("{detail}. Per scale: {first}; {second}.").format(
                detail=amb.detail(h),
                first=measures.TRANSFORMATIVE.detail(h),
                second=measures.SUBSTANTIAL_RESULTS.detail(h),
            ),
        ),
        starred_figure(h),
        _share(measures.OPENED_GOVERNMENT, h),
        Figure(
            early.key,
            early.label,
            number(int(h[early.key])),
            f"{early.detail(h)} ({early.value(h)}). {early.condition}",
        ),
        Figure("population", _("Population covered"), covered.text(), covered.source()),
    )
    return Overview(
        figures=figures,
        population_note=covered.note(),
        completion_by_year=run("completion_by_year", filters),
        completion_by_cycle=run("completion_by_cycle", filters),
        by_member=by_member,
        headline=h,
    )


def completion_by_year_chart(by_year: pd.DataFrame, rating: str | None = None) -> Chart:
    """Completion of commitments by year of submission (Overview.completion_by_year): the
    overview's chart, and the deck's title slide in projector sizes (ogp.render.deck)."""
    return charts.levels_bar(
        by_year,
        x="year_submitted",
        level="completion",
        count="commitments",
        scale="completion",
        title=measures.rated(_("Completion of commitments by year of submission"), rating),
        x_label=_("Year of submission"),
    )


def completion_by_cycle_chart(by_cycle: pd.DataFrame, rating: str | None = None) -> Chart:
    """Completion by action-plan cycle, a share of the commitments (Overview.completion_by_cycle)."""
    return charts.levels_bar(
        by_cycle,
        x="action_plan",
        level="completion",
        count="commitments",
        scale="completion",
        share=True,
        title=measures.rated(_("Completion by action-plan cycle (share of commitments)"), rating),
        x_label=_("Action plan (1st, 2nd, … of each member)"),
    )


def completion_figure(mine, world, rating: str | None, against: str) -> Figure:
    """High completion of `mine` in the rating the filters read, its help comparing it with
    `world` in the words of `against` (a translated "{detail}. All …: {share}")."""
    hc = measures.HIGH_COMPLETION
    return Figure(
        hc.key,
        hc.rated_label(rating),
        hc.value(mine),
        against.format(detail=hc.detail(mine, rating), share=hc.value(world)),
    )


def starred_figure(h, compared: str = "") -> Figure:
    """Starred as every page shows it: the share of the commitments a star formula was applied
    to (measures.STARRED), its count, `compared` (e.g. "All members: 7%.") and rule in the help."""
    m = measures.STARRED
    return Figure(
        m.key, m.share_label, m.value(h), " ".join(filter(None, (f"{m.detail(h)}.", compared, m.condition)))
    )


def _share(m: measures.Measure, h) -> Figure:
    return Figure(m.key, m.label, m.value(h), f"{m.detail(h)}. {m.condition}")


# -- a member -------------------------------------------------------------------------------
def member(run: Run, code: str, filters: Filters = ALL) -> Member | None:
    """A member's figures, plans, themes and shares against all members; None for an unknown
    code or a member without commitments in `filters.snapshot`."""
    found = run("member", member=code)
    if found.empty:
        return None
    row = found.iloc[0]
    scope = Filters(snapshot=filters.snapshot, members=(code,))
    everyone = Filters(snapshot=filters.snapshot)
    mine, world = run("headline", scope).iloc[0], run("headline", everyone).iloc[0]
    if not mine["commitments"]:
        return None
    name = row["member_name"]
    facts = member_facts(row)
    hc = measures.HIGH_COMPLETION
    completion = (
        completion_figure(mine, world, filters.rating, _("{detail}. All members: {share}"))
        if mine["completion_assessed"]
        else Figure(
            hc.key,
            hc.rated_label(filters.rating),
            _("Pending"),
            _("Pending IRM review: no completion assessment yet"),
        )
    )
    figures = (
        Figure("action_plans", _("Action plans"), number(mine["action_plans"])),
        Figure("commitments", _("Commitments"), number(mine["commitments"])),
        completion,
        starred_figure(mine, _("All members: {share}.").format(share=measures.STARRED.value(world))),
    )
    return Member(
        code=code,
        name=name,
        facts=facts,
        figures=figures,
        pending=not (mine["completion_assessed"] or mine["ambition_assessed"]),
        plans=run("member_plans", snapshot=filters.snapshot, member=code, rating=filters.rating),
        themes=themes_named(run, scope),
        versus=versus_all(mine, world, name),  # `scope` reads the latest rating
        headline=mine,
        world=world,
        info=row,
    )


def member_facts(row) -> tuple[str, ...]:
    """What is shown under a member's name: its kind, region and status (a row of
    queries/member.sql, or a mapping with those keys)."""
    status = row.get("status")
    return tuple(
        f
        for f in (
            text.member_kind(row.get("kind")),
            i18n.region(row.get("region")),
            _("status: {status}").format(status=text.member_status(status))
            if isinstance(status, str) and status
            else None,
        )
        if f
    )


def member_brief(run: Run, code: str, snapshot: str | None = None) -> tuple[Member, pd.DataFrame]:
    """What the member brief shows (ogp.render.brief.brief_for): the member's view in
    `snapshot`, read at the latest rating as the brief always is, and its commitments by
    action-plan cycle and completion level. LookupError when the member has no commitments."""
    view = member(run, code, Filters(snapshot=snapshot))
    if view is None:
        raise LookupError(code)
    return view, run("completion_by_cycle", Filters(snapshot=snapshot, members=(code,)))


def themes_named(run: Run, scope: Filters) -> pd.DataFrame:
    """Commitments per theme in `scope`, the theme by its short name (its slug kept)."""
    titles = {t.slug: t.short for t in load_themes()}
    counts = run("themes_count", scope)
    return counts.assign(slug=counts["theme"], theme=counts["theme"].map(titles).fillna(counts["theme"]))


def versus_all(
    mine, world, name: str, all_label: str | None = None, rating: str | None = None
) -> pd.DataFrame:
    """Shares of the compared measures (measures.COMPARED) for a focus (a member or a theme)
    and for all: measure, group, percent (one decimal), count, of; a completion share says which
    rating it reads (`rating`, ogp/model/filters.py). The pages' table too (ogp.app.ui.member_vs_all)."""
    rows = []
    all_label = all_label or _("All members")
    for m in measures.COMPARED:
        label, part, whole = m.rated_category(rating), m.key, m.denominator
        for group, h in ((name, mine), (all_label, world)):
            rows.append(
                {
                    "measure": label,
                    "group": group,
                    "percent": round(100 * h[part] / h[whole], 1) if h[whole] else None,
                    "count": int(h[part]),
                    "of": int(h[whole]),
                }
            )
    return pd.DataFrame(rows)


# -- a theme --------------------------------------------------------------------------------
def theme(run: Run, slug: str, filters: Filters = ALL) -> ThemeView | None:
    """A theme's figures, its shares against all commitments, its members (map and ranking);
    None when no commitment of `filters` belongs to it. Raises KeyError for an unknown slug."""
    t = theme_by_slug(slug)
    scoped = filters.with_(theme=slug)
    mine, world = run("headline", scoped).iloc[0], run("headline", scoped.without("theme")).iloc[0]
    if not mine["commitments"]:
        return None
    if t is None:  # commitments carry only the slugs of data/themes.toml
        raise KeyError(slug)
    figures = (
        Figure(
            "commitments",
            _("Commitments"),
            number(mine["commitments"]),
            _("{share} of all {total}").format(
                share=text.pct(mine["commitments"], world["commitments"]), total=number(world["commitments"])
            ),
        ),
        Figure("members", _("Members"), number(mine["members"])),
        completion_figure(mine, world, filters.rating, _("{detail}. All commitments: {share}")),
        starred_figure(mine, _("All commitments: {share}.").format(share=measures.STARRED.value(world))),
    )
    by_member = run("by_member", scoped)
    return ThemeView(
        theme=t,
        figures=figures,
        few_assessed=int(mine["completion_assessed"]) if mine["completion_assessed"] < 5 else None,
        versus=versus_all(mine, world, t.short, _("All commitments"), filters.rating),
        by_member=by_member,
        most=by_member.nlargest(TOP, "commitments"),
        advanced=by_member[by_member["completion_assessed"] >= ADVANCED_FROM].nlargest(
            TOP, ["high_completion_pct", "high_completion"]
        ),
        headline=mine,
        world=world,
    )


def theme_cycles(run: Run, slug: str, label: str, filters: Filters = ALL) -> tuple[Cycles, Cycles]:
    """High completion and transformative potential impact of a theme's commitments by
    action-plan cycle, against all commitments (`label`: the theme's short name)."""
    scoped = filters.with_(theme=slug)
    return (
        Cycles(
            "completion",
            _by_cycle(run, scoped, "completion_by_cycle", "completion", scales.HIGH_COMPLETION, label),
            measures.rated(
                _("High completion by action-plan cycle: {theme} against all"), filters.rating
            ).format(theme=label),
            measures.HIGH_COMPLETION.rated_share_label(filters.rating),
        ),
        Cycles(
            "ambition",
            _by_cycle(run, scoped, "ambition_by_cycle", "potential_impact", scales.AMBITIOUS, label),
            _("Transformative potential impact by cycle: {theme} against all").format(theme=label),
            measures.TRANSFORMATIVE.rated_share_label(filters.rating),
        ),
    )


def _by_cycle(run: Run, filters: Filters, query: str, level: str, positive, label: str) -> pd.DataFrame:
    parts = [
        charts.share_by(
            run(query, f),
            x="action_plan",
            level=level,
            count="commitments",
            positive=positive,
            assessed=scales.levels(level),
            group=group,
        )
        for f, group in ((filters, label), (filters.without("theme"), _("All commitments")))
    ]
    out = pd.concat(parts)
    return out.assign(action_plan=[_("Plan {n}").format(n=n) for n in out["action_plan"]])


# -- what needs attention (/monitor, the digest) ----------------------------------------------
def monitor(
    run: Run, snapshots: Sequence, filters: Filters | None = None, since: str | None = None
) -> monitor_lists.Report:
    """The lists of /monitor and the digest (ogp.render.monitor) for `filters` (its snapshot is
    the scope; a search term is ignored): their named queries run, then monitor.build.
    `snapshots`: the store's (ogp.data.store.Store.snapshots), oldest first; `run` may be the
    store's own `query` (the digest: names as stored). ValueError for an unknown `since`."""
    filters = (filters or Filters()).without("q")
    params = filters.params()
    names = [s.name for s in snapshots]
    complete = {s.name: s.complete for s in snapshots}
    current, previous = monitor_lists.compared_snapshots(names, filters.snapshot, since)
    judged = [n for n in ([filters.snapshot] if filters.snapshot else names) if complete[n]]
    plan_years = monitor_lists.PLAN_YEARS
    changes = (
        None
        if previous is None
        else run(
            "monitor_changes",
            **filters.without("snapshot").params(),
            from_snapshot=previous,
            to_snapshot=current,
            from_complete=complete[previous],
            to_complete=complete[current],
        )
    )
    return monitor_lists.build(
        filters,
        late=run("monitor_late_plans", **params, plan_years=plan_years, complete=judged),
        awaiting=run(
            "monitor_awaiting", **params, plan_years=plan_years, wait_years=monitor_lists.WAIT_YEARS
        ),
        at_risk=run("at_risk", **params),
        gaps=run("monitor_gaps", **params),
        changes=changes,
        snapshots=snapshots,
        current=current,
        previous=previous,
        late_judged=bool(judged),
    )
