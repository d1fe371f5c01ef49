"""Overview: headline figures, completion over time, the world map, where numbers come from."""

import streamlit as st

from ogp.app import ui
from ogp.model import measures, registry, urls
from ogp.model.i18n import _, ngettext, number
from ogp.render import charts

filters = ui.filters()
st.title(_("Open Government Partnership: delivering on commitments"))
st.markdown(
    _(
        "Where OGP members stand on the commitments of their action plans, as assessed by "
        "the Independent Reporting Mechanism (IRM)."
    )
)
ui.provenance(filters)

h = ui.run("headline", filters).iloc[0]
if not h["commitments"]:
    st.info(_("No commitment matches these filters. Clear a filter in the sidebar to see more."))
    st.stop()

cols = ui.figure_row("overview-1")
cols[0].metric(
    measures.MEMBERS.label,
    measures.MEMBERS.value(h),
    help=_("{national} national, {local} local").format(
        national=number(h["members_national"]), local=number(h["members_local"])
    )
    + ": "
    + measures.MEMBERS.counts,
)
cols[1].metric(measures.ACTION_PLANS.label, measures.ACTION_PLANS.value(h), help=measures.ACTION_PLANS.counts)
cols[2].metric(
    measures.COMMITMENTS.label,
    measures.COMMITMENTS.value(h),
    help=_("Submitted {first}–{last}").format(first=h["first_year"], last=h["last_year"])
    + ": "
    + measures.COMMITMENTS.counts,
)
m = measures.HIGH_COMPLETION
cols[3].metric(
    m.rated_label(filters.rating),
    m.value(h),
    help=f"{m.detail(h, filters.rating)}. {m.condition}",
)
cols = ui.figure_row("overview-2")
amb = measures.AMBITIOUS
cols[0].metric(
    amb.label,
    amb.value(h),
    help=_("{detail}. Per scale: {first}; {second}.").format(
        detail=amb.detail(h),
        first=measures.TRANSFORMATIVE.detail(h),
        second=measures.SUBSTANTIAL_RESULTS.detail(h),
    ),
)
ui.starred_metric(cols[1], h)
m = measures.OPENED_GOVERNMENT
cols[2].metric(m.label, m.value(h), help=f"{m.detail(h)}. {m.condition}")
m = measures.EARLY_RESULTS
cols[3].metric(m.label, number(int(h[m.key])), help=f"{m.detail(h)} ({m.value(h)}). {m.condition}")
covered = ui.population_covered(filters)
cols = st.columns([1, 3], vertical_alignment="center")
cols[0].metric(_("Population covered"), covered.text(), help=covered.source())
cols[1].caption(covered.note())

left, right = st.columns(2)
with left:
    ui.show_chart(
        ui.chart(
            charts.levels_bar,
            ui.run("completion_by_year", filters),
            x="year_submitted",
            level="completion",
            count="commitments",
            scale="completion",
            title=measures.rated(_("Completion of commitments by year of submission"), filters.rating),
            x_label=_("Year of submission"),
        ),
        key="overview-year",
    )
with right:
    ui.show_chart(
        ui.chart(
            charts.levels_bar,
            ui.run("completion_by_cycle", filters),
            x="action_plan",
            level="completion",
            count="commitments",
            scale="completion",
            share=True,
            title=measures.rated(_("Completion by action-plan cycle (share of commitments)"), filters.rating),
            x_label=_("Action plan (1st, 2nd, … of each member)"),
        ),
        key="overview-cycle",
    )

event = ui.show_chart(
    ui.world_map(filters, "commitments", _("Commitments by member")), key="overview-map", on_select="rerun"
)
ui.open_clicked_member(event)


def show_sources() -> None:
    """Each snapshot's figures and source files, and how the IRM rates."""
    store = ui.get_store()
    plans = ui.run("snapshot_plans").set_index("snapshot")
    for snap in store.snapshots:
        m = snap.manifest
        sources = ", ".join(s.get("file", "?") for s in m.get("sources", [])) or _("synthetic data")
        counts = snap.counts()
        p = plans.loc[snap.name] if snap.name in plans.index else None
        if p is not None:
            with_commitments = int(p["with_commitments"])
            plan_text = ngettext(
                "{n} action plan with commitments", "{n} action plans with commitments", with_commitments
            ).format(n=number(with_commitments))
            if p["process_only"]:
                plan_text += " " + _("(and {n} known only from the process database)").format(
                    n=number(int(p["process_only"]))
                )
        else:
            n_p = counts.get("action_plans")
            plan_text = ngettext(
                "{n} action plan", "{n} action plans", 2 if n_p is None else int(n_p)
            ).format(n="?" if n_p is None else number(n_p))
        n_c, n_m = int(counts.get("commitments", 0) or 0), counts.get("members")
        figures = ", ".join(
            (
                ngettext("{n} commitment", "{n} commitments", n_c).format(n=number(n_c)),
                ngettext("{n} member", "{n} members", 2 if n_m is None else int(n_m)).format(
                    n="?" if n_m is None else number(n_m)
                ),
                plan_text,
            )
        )
        st.markdown(
            _("- **{snapshot}**: {figures} — from {sources}").format(
                snapshot=snap.name, figures=figures, sources=ui.escape_md(sources)
            )
        )
    st.markdown(
        _(
            "Ratings are the IRM's: completion (not started, limited, substantial, complete), "
            "potential impact (none, minor, moderate, transformative) and did it open government "
            "(worsened, did not change, marginal, major, outstanding). See "
            "[Methodology]({url}) for every figure's definition."
        ).format(url=urls.page_url(registry.METHODOLOGY.url))
    )


# Made only while open (opening it reruns the page): closed, it costs a rerun its label.
sources = st.expander(_("Where these numbers come from"), key="overview-sources", on_change="rerun")
if sources.open:
    with sources:
        show_sources()
