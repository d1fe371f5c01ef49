"""Overview: headline figures, completion over time, the world map, where numbers come from."""

import streamlit as st

from ogp import charts, measures, population, ui, urls

ui.ensure_dashboard()  # a deep link on a fresh server: go through dashboard.py

filters = ui.sidebar_filters()
st.title("Open Government Partnership: delivering on commitments")
st.markdown(
    "Where OGP members stand on the commitments of their action plans, as assessed by "
    "the Independent Reporting Mechanism (IRM)."
)
ui.provenance(filters)

h = ui.run("headline", filters).iloc[0]
if not h["commitments"]:
    st.info("No commitment matches these filters. Clear a filter in the sidebar to see more.")
    st.stop()

cols = st.columns(4)
cols[0].metric(
    measures.MEMBERS.label,
    measures.MEMBERS.value(h),
    help=f"{h['members_national']} national, {h['members_local']} local: {measures.MEMBERS.counts}",
)
cols[1].metric(measures.ACTION_PLANS.label, measures.ACTION_PLANS.value(h), help=measures.ACTION_PLANS.counts)
cols[2].metric(
    measures.COMMITMENTS.label,
    measures.COMMITMENTS.value(h),
    help=f"Submitted {h['first_year']}–{h['last_year']}: {measures.COMMITMENTS.counts}",
)
m = measures.HIGH_COMPLETION
cols[3].metric(m.label, m.value(h), help=f"{m.detail(h)}. {m.condition}")
cols = st.columns(4)
amb = measures.AMBITIOUS
cols[0].metric(
    amb.label,
    amb.value(h),
    help=f"{amb.detail(h)}. Per scale: {measures.TRANSFORMATIVE.detail(h)}; "
    f"{measures.SUBSTANTIAL_RESULTS.detail(h)}.",
)
m = measures.STARRED
cols[1].metric(m.label, f"{int(h[m.key]):,}", help=f"{m.detail(h)} ({m.value(h)}). {m.counts}")
m = measures.OPENED_GOVERNMENT
cols[2].metric(m.label, m.value(h), help=f"{m.detail(h)}. {m.condition}")
m = measures.EARLY_RESULTS
cols[3].metric(m.label, f"{int(h[m.key]):,}", help=f"{m.detail(h)} ({m.value(h)}). {m.condition}")
covered = population.covered(ui.run("by_member", filters))
cols = st.columns([1, 3], vertical_alignment="center")
cols[0].metric("Population covered", covered.text(), help=covered.source())
cols[1].caption(f"{covered.source()} For context, {population.CLAIM}.")

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
            title="Completion of commitments by year of submission",
            x_label="Year of submission",
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
            title="Completion by action-plan cycle (share of commitments)",
            x_label="Action plan (1st, 2nd, … of each member)",
        ),
        key="overview-cycle",
    )

event = ui.show_chart(
    ui.world_map(filters, "commitments", "Commitments by member"), key="overview-map", on_select="rerun"
)
ui.open_clicked_member(event)

with st.expander("Where these numbers come from"):
    store = ui.get_store()
    plans = ui.run("snapshot_plans").set_index("snapshot")
    for snap in store.snapshots:
        m = snap.manifest
        sources = ", ".join(s.get("file", "?") for s in m.get("sources", [])) or "synthetic data"
        counts = snap.counts()
        p = plans.loc[snap.name] if snap.name in plans.index else None
        plan_text = (
            f"{int(p['with_commitments']):,} action plans with commitments"
            + (
                f" (and {int(p['process_only']):,} known only from the process database)"
                if p["process_only"]
                else ""
            )
            if p is not None
            else f"{counts.get('action_plans', '?')} action plans"
        )
        st.markdown(
            f"- **{snap.name}**: {counts.get('commitments', 0):,} commitments, "
            f"{counts.get('members', '?')} members, {plan_text} — from {ui.escape_md(sources)}"
        )
    st.markdown(
        "Ratings are the IRM's: completion (not started, limited, substantial, complete), "
        "potential impact (none, minor, moderate, transformative) and did it open government "
        "(worsened, did not change, marginal, major, outstanding). See "
        f"[Methodology]({urls.page_url(urls.METHODOLOGY)}) for every figure's definition."
    )
