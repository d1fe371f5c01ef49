"""A member's one-page brief: a self-contained HTML file (inline CSS, charts as inline SVG, no
JavaScript, no external URL) that prints on one A4 page. Downloaded from the member page.

`member_brief_html(...)` is pure: rows and DataFrames in, HTML out; every data text is escaped.
`brief_for(view, completion, ...)` renders a member's view (ogp.render.views.member_brief runs
its queries; the member page calls it from a download button's callable, in another thread, with
a runner over the store rather than the Streamlit cache)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

import pandas as pd

from ogp.model import i18n, measures, scales, text
from ogp.model.i18n import _, ngettext, number
from ogp.model.text import ALL_COLOUR as ALL
from ogp.model.text import FOCUS_COLOUR as FOCUS
from ogp.model.text import NOT_ASSESSED
from ogp.render import views

MAX_THEMES = 8
MAX_PLANS = 8


def source_note(extracts: Sequence[tuple[str, str | None]] = ()) -> str:
    """The footer: the source, what the snapshots' extracts leave out (from their manifests:
    `extracts`, ogp.data.store.Store.extracts), and the star rule (active language). The other
    figures say what they count in their own notes ("29 of 58 commitments rated for completion:
    substantial or complete"); a star's criteria do not fit in its note."""
    covered = text.extract_note(extracts, short=True)
    star = measures.STARRED
    return " ".join(
        filter(
            None,
            (
                _(text.SOURCE_PUBLISHED),
                f"{covered} {_(text.OGP_TOTALS)}" if covered else "",
                _("{label}: {counts}, among {among}.").format(
                    label=star.label, counts=star.counts, among=star.among_short
                ),
            ),
        )
    )


CSS = """
@page { size: A4; margin: 11mm; }
* { box-sizing: border-box; }
body { font: 9.5pt/1.35 "Source Sans Pro", "Segoe UI", Helvetica, Arial, sans-serif; color: #1B2631;
       margin: 0 auto; max-width: 188mm; background: #fff; }
header { border-bottom: 3px solid #0072B2; padding-bottom: 2mm; margin-bottom: 3mm; }
h1 { font-size: 20pt; margin: 0; color: #003F6B; }
h2 { font-size: 11pt; margin: 3.5mm 0 1.5mm; color: #003F6B; }
.facts { font-size: 10.5pt; margin: 1mm 0 0; }
.scope { font-size: 8.5pt; color: #44525F; margin: 1mm 0 0; }
.figures { display: grid; grid-template-columns: repeat(6, 1fr); gap: 1.5mm; }
.fig { border: 1px solid #C9D3DD; border-radius: 2mm; padding: 1.5mm 1.5mm; }
.fig b { display: block; font-size: 16pt; color: #003F6B; }
.fig span { font-size: 7.5pt; line-height: 1.3; color: #44525F; }
.fig .label { font-size: 8.5pt; color: #1B2631; font-weight: 600; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm 6mm; }
figure { margin: 0; }
figcaption { font-weight: 600; font-size: 9.5pt; margin-bottom: 1mm; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 11px; fill: #1B2631; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
th, td { text-align: left; padding: 0.7mm 1.5mm; border-bottom: 1px solid #DDE3E9; }
th { background: #F2F5F8; }
td.n { text-align: right; }
/* a plan's name and years on one line: wrapped, each row of a 7-plan member was two lines and
   the French brief ran onto a second page */
tr[data-plan] td:nth-child(-n+2) { white-space: nowrap; }
footer { margin-top: 3mm; font-size: 7pt; line-height: 1.3; color: #44525F; border-top: 1px solid #C9D3DD; padding-top: 1.5mm; }
@media screen { body { padding: 8mm 4mm; } }
@media print { body { max-width: none; } }
"""


def _e(value: object) -> str:
    return escape("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))


def _of(part: int, whole: int) -> str:
    """`3 of 7`, or "–" when nothing was assessed (never "0 of 0")."""
    return _("{part} of {whole}").format(part=number(part), whole=number(whole)) if whole else "–"


def _int(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


# -- inline SVG bar charts ----------------------------------------------------------------
def bar_svg(
    rows: list[tuple[str, list[tuple[float | None, str, str]]]],
    *,
    title: str,
    max_value: float | None = None,
    width: int = 340,
    label_width: int = 118,
    bar: int = 11,
    gap: int = 2,
    group_gap: int = 7,
) -> str:
    """Horizontal bars: each row is (label, [(value, text, colour), ...]) with one bar per series.
    Values are drawn to `max_value` (default: the largest); the text is written after the bar."""
    values = [v for _, bars in rows for v, _, _ in bars if v is not None and not pd.isna(v)]
    top = max_value or max(values, default=0) or 1
    span = width - label_width - 46
    y, parts = 0, []
    for label, bars in rows:
        group_h = len(bars) * (bar + gap) - gap
        parts.append(
            f'<text x="{label_width - 6}" y="{y + group_h / 2 + 4:.1f}" text-anchor="end">'
            f"{_e(_short(label, 18))}</text>"
        )
        for value, caption, colour in bars:
            w = 0 if value is None or pd.isna(value) else max(span * float(value) / top, 1)
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar}" fill="{_e(colour)}"/>'
            )
            parts.append(f'<text x="{label_width + w + 4:.1f}" y="{y + bar - 2}">{_e(caption)}</text>')
            y += bar + gap
        y += group_gap - gap
    height = max(y - group_gap + gap, 1)
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(title)}"><title>{_e(title)}</title>{"".join(parts)}</svg>'
    )


def _short(label: str, n: int) -> str:
    label = str(label)
    return label if len(label) <= n else label[: n - 1] + "…"


def _legend(items: list[tuple[str, str]]) -> str:
    return " ".join(f'<span style="color:{_e(c)}">■</span> {_e(label)}' for label, c in items)


# -- the page -----------------------------------------------------------------------------
def compare_rows(mine: Mapping, world: Mapping) -> list[dict]:
    rows = []
    for m in measures.COMPARED:  # each row shows its count "of" its own denominator
        label, part, whole = m.label, m.key, m.denominator
        rows.append(
            {
                "measure": label,
                "count": _int(mine[part]),
                "of": _int(mine[whole]),
                "all_count": _int(world[part]),
                "all_of": _int(world[whole]),
            }
        )
    return rows


def member_brief_html(
    member: Mapping,
    mine: Mapping,
    world: Mapping,
    plans: pd.DataFrame,
    completion: pd.DataFrame,
    themes: pd.DataFrame,
    *,
    scope: str,
    generated: date | None = None,
    extracts: Sequence[tuple[str, str | None]] = (),
) -> str:
    """The brief. `member`: name, kind, region (query `member`); `mine`/`world`: `headline` rows
    for the member and for all members; `plans`: `member_plans`; `completion`: columns
    completion, commitments; `themes`: columns theme (display name), commitments."""
    name = member["member_name"]
    facts = " · ".join(_e(p) for p in views.member_facts(member))
    assessed = _int(mine["completion_assessed"])
    years = (
        f"{_int(mine['first_year'])}–{_int(mine['last_year'])}"
        if not pd.isna(mine["first_year"])
        else _("years unknown")
    )
    everyone = _("all: {value}")
    figures = [
        (
            "action_plans",
            _("Action plans"),
            number(_int(mine["action_plans"])),
            _("submitted {years}").format(years=years),
        ),
        ("commitments", _("Commitments"), number(_int(mine["commitments"])), _("in these exports")),
        (
            "high_completion",
            measures.HIGH_COMPLETION.label,
            measures.HIGH_COMPLETION.value(mine) if assessed else _("Pending"),
            f"{measures.HIGH_COMPLETION.detail(mine)} · "
            + everyone.format(value=measures.HIGH_COMPLETION.value(world)),
        ),
        (
            "ambitious",
            measures.AMBITIOUS.label,
            measures.AMBITIOUS.value(mine) if mine["ambition_assessed"] else _("Pending"),
            f"{measures.AMBITIOUS.detail(mine)} · " + everyone.format(value=measures.AMBITIOUS.value(world)),
        ),
        (
            "strong_results",
            measures.OPENED_GOVERNMENT.label,
            number(_int(mine["strong_results"]))
            if _int(mine["diog_assessed"])
            else "–",  # none assessed: no 0
            measures.OPENED_GOVERNMENT.detail(mine),
        ),
        (
            "starred",
            measures.STARRED.label,
            number(_int(mine["starred"])) if _int(mine["star_assessed"]) else "–",  # no formula applied: no 0
            ngettext(
                "of {n} commitment a star formula was applied to · {all} among all members",
                "of {n} commitments a star formula was applied to · {all} among all members",
                _int(mine["star_assessed"]),
            ).format(n=number(_int(mine["star_assessed"])), all=number(_int(world["starred"]))),
        ),
    ]
    figure_html = "".join(
        f'<div class="fig" data-figure="{key}"><span class="label">{_e(label)}</span><b>{_e(value)}</b>'
        f"<span>{_e(note)}</span></div>"
        for key, label, value, note in figures
    )

    compare = compare_rows(mine, world)
    compare_svg = bar_svg(
        [
            (
                r["measure"],
                [
                    (100 * r["count"] / r["of"] if r["of"] else None, text.pct(r["count"], r["of"]), FOCUS),
                    (
                        100 * r["all_count"] / r["all_of"] if r["all_of"] else None,
                        text.pct(r["all_count"], r["all_of"]),
                        ALL,
                    ),
                ],
            )
            for r in compare
        ],
        title=_("{member} against all members").format(member=name),
        max_value=100,
    )
    compare_table = "".join(
        f'<tr data-measure="{_e(r["measure"])}"><td>{_e(r["measure"])}</td><td class="n">{_of(r["count"], r["of"])}</td>'
        f'<td class="n">{text.pct(r["count"], r["of"])}</td><td class="n">{text.pct(r["all_count"], r["all_of"])}</td></tr>'
        for r in compare
    )

    levels = completion.assign(completion=completion["completion"].fillna(NOT_ASSESSED))
    levels = levels.groupby("completion")["commitments"].sum()
    order = [
        lvl
        for lvl in (*scales.levels("completion", with_unordered=True), NOT_ASSESSED)
        if lvl in levels.index
    ]
    colours = {**scales.LEVEL_COLOURS["completion"], NOT_ASSESSED: text.NOT_ASSESSED_COLOUR}

    def level_name(lvl: str) -> str:
        return _(NOT_ASSESSED) if lvl == NOT_ASSESSED else i18n.level("completion", lvl)

    completion_svg = bar_svg(
        [
            (level_name(lvl), [(levels[lvl], number(int(levels[lvl])), colours.get(lvl, ALL))])
            for lvl in order
        ],
        title=_("Completion of the commitments of {member}").format(member=name),
    )
    top_themes = themes.sort_values(["commitments", "theme"], ascending=[False, True]).head(MAX_THEMES)
    themes_svg = (
        bar_svg(
            [
                (t, [(n, number(int(n)), FOCUS)])
                for t, n in zip(top_themes["theme"], top_themes["commitments"])
            ],
            title=_("Commitments of {member} by theme").format(member=name),
        )
        if len(top_themes)
        else f"<p>{_e(_('No commitment in a theme of the dashboard.'))}</p>"
    )

    process = bool(plans[["steps_followed", "iap2_development"]].notna().any().any()) if len(plans) else False
    plan_rows = []
    for p in plans.head(MAX_PLANS).itertuples():
        span = (
            f"{_int(p.year_submitted)}–{_int(p.end_year)}"
            if not pd.isna(p.end_year)
            else _e(_int(p.year_submitted) or "")
        )
        steps = "" if pd.isna(p.steps_followed) else _of(_int(p.steps_followed), 6)
        iap2 = i18n.level("iap2", p.iap2_development) if isinstance(p.iap2_development, str) else None
        plan_name = _("Plan {n}").format(n=_int(p.action_plan))
        plan_rows.append(
            f'<tr data-plan="{_int(p.action_plan)}"><td>{_e(plan_name)}</td><td>{span}</td>'
            f'<td class="n">{number(_int(p.n_commitments))}</td>'
            f'<td class="n">{text.pct(_int(p.high_completion), _int(p.completion_assessed)) if _int(p.completion_assessed) else "–"}</td>'
            f'<td class="n">{number(_int(p.completion_assessed))}</td>'
            + (f"<td>{_e(steps)}</td><td>{_e(iap2)}</td>" if process else "")
            + "</tr>"
        )
    more = (
        '<p class="scope">'
        + _e(
            _("Showing the first {shown} of {n} action plans.").format(shown=MAX_PLANS, n=number(len(plans)))
        )
        + "</p>"
        if len(plans) > MAX_PLANS
        else ""
    )
    day = (generated or date.today()).isoformat()
    lang = i18n.current() if i18n.current() in i18n.LANGUAGES else i18n.DEFAULT
    t = {  # the brief's own words, in the active language, escaped
        "title": _("{member}: OGP member brief").format(member=name),
        "scope": _("Open Government Partnership member brief · {scope} · generated {day}").format(
            scope=scope.rstrip("."), day=day
        ),
        "against": _("Against all members"),
        "compared": _("{member} against all members").format(member=name),
        "all": _("All members"),
        "measure": text.column_label("measure"),
        "share": text.column_label("share"),
        "completion": _("Completion of its commitments"),
        "rating": measures.rating_note(None),  # which completion rating the brief reads
        "themes": _("Commitments by theme"),
        "plans": _("Action plans"),
        "plan": _("Plan"),
        "years": _("Years"),
        "commitments": text.column_label("commitments"),
        "high": measures.HIGH_COMPLETION.rated_label(None),
        "assessed": _("Assessed"),
        "steps": text.column_label("steps_followed"),
        "iap2": text.column_label("iap2_development"),
    }
    t = {k: _e(v) for k, v in t.items()}

    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t["title"]}</title>
<style>{CSS}</style></head>
<body>
<header><h1>{_e(name)}</h1><p class="facts">{facts}</p>
<p class="scope">{t["scope"]}</p></header>
<section class="figures">{figure_html}</section>
<h2>{t["against"]}</h2>
<div class="charts">
<figure><figcaption>{t["compared"]}</figcaption>{compare_svg}
<p class="scope">{_legend([(_short(name, 40), FOCUS), (_("All members"), ALL)])}</p></figure>
<table><thead><tr><th>{t["measure"]}</th><th>{_e(_short(name, 24))}</th><th>{t["share"]}</th><th>{t["all"]}</th></tr></thead>
<tbody>{compare_table}</tbody></table>
<figure><figcaption>{t["completion"]} <small>({t["rating"]})</small></figcaption>{completion_svg}</figure>
<figure><figcaption>{t["themes"]}</figcaption>{themes_svg}</figure>
</div>
<h2>{t["plans"]}</h2>
<table><thead><tr><th>{t["plan"]}</th><th>{t["years"]}</th><th>{t["commitments"]}</th><th>{t["high"]}</th><th>{t["assessed"]}</th>
{f"<th>{t['steps']}</th><th>{t['iap2']}</th>" if process else ""}</tr></thead><tbody>{"".join(plan_rows)}</tbody></table>{more}
<footer>{_e(source_note(extracts))} {_e(scope)}</footer>
</body></html>
"""


def brief_for(
    view: views.Member,
    completion: pd.DataFrame,
    scope: str = "",
    generated: date | None = None,
    extracts: Sequence[tuple[str, str | None]] = (),
) -> str:
    """The brief of a member's view and its commitments by completion level, as
    ogp.render.views.member_brief returns them; `extracts`: the snapshots' (Store.extracts)."""
    return member_brief_html(
        view.info,
        view.headline,
        view.world,
        view.plans,
        completion,
        view.themes,
        scope=scope or _("Numbers from the latest known state of each commitment."),
        generated=generated,
        extracts=extracts,
    )
