"""Overview: headline figures, completion over time, the world map, where numbers come from."""

import streamlit as st

from ogp import charts, text, ui

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
    "Members", f"{h['members']:,}", help=f"{h['members_national']} national, {h['members_local']} local"
)
cols[1].metric("Action plans", f"{h['action_plans']:,}")
cols[2].metric("Commitments", f"{h['commitments']:,}", help=f"Submitted {h['first_year']}–{h['last_year']}")
cols[3].metric(
    "High completion",
    text.pct(h["high_completion"], h["completion_assessed"]),
    help=f"{h['high_completion']:,} of {h['completion_assessed']:,} assessed commitments were "
    "substantially or fully implemented (end of term, else mid-term)",
)
cols = st.columns(4)
cols[0].metric(
    "Ambitious",
    text.pct(h["ambitious"], h["ambition_assessed"]),
    help=f"{h['ambitious']:,} of {h['ambition_assessed']:,} assessed: transformative potential "
    "impact or substantial potential for results",
)
cols[1].metric(
    "Starred",
    f"{h['starred']:,}",
    help="Commitments the IRM starred: verifiable, relevant, "
    "transformative and substantially or fully complete",
)
cols[2].metric(
    "Opened government",
    text.pct(h["strong_results"], h["diog_assessed"]),
    help=f"{h['strong_results']:,} of {h['diog_assessed']:,} assessed at end of term opened "
    "government majorly or outstandingly",
)
cols[3].metric(
    "Notable early results",
    f"{h['notable_early_results']:,}",
    help=f"of {h['early_results_assessed']:,} commitments assessed for early results (2021+)",
)

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
    for snap in store.snapshots:
        m = snap.manifest
        sources = ", ".join(s.get("file", "?") for s in m.get("sources", [])) or "synthetic data"
        counts = snap.counts()
        st.markdown(
            f"- **{snap.name}**: {counts.get('commitments', 0):,} commitments, "
            f"{counts.get('members', '?')} members, {counts.get('action_plans', '?')} action plans "
            f"— from {ui.escape_md(sources)}"
        )
    st.markdown(
        "Ratings are the IRM's: completion (not started, limited, substantial, complete), "
        "potential impact (none, minor, moderate, transformative) and did it open government "
        "(worsened, did not change, marginal, major, outstanding). See `docs/DATA.md` for every column."
    )
