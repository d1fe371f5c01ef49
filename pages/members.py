"""Members: a sortable list; a member's profile at /members?member=CODE."""

import pandas as pd
import streamlit as st

from ogp import brief, charts, measures, text, ui
from ogp.filters import Filters
from ogp.themes import load_themes

ui.ensure_dashboard()  # a deep link on a fresh server: go through dashboard.py

PROCESS_COLUMNS = {
    "action_plan": st.column_config.NumberColumn("Plan", format="%d"),
    "year_submitted": st.column_config.NumberColumn("Year", format="%d"),
    "steps_followed": "Consultation steps",
    "iap2_development": "IAP2 level (development)",
    "iap2_implementation": "IAP2 level (implementation)",
    "participation_development": "Participation (development)",
    "regular_forum": "Regular forum",
    "self_assessment_published": "Self-assessment published",
}

filters = ui.sidebar_filters()
options = ui.run("member_options")
names = dict(zip(options["member_code"], options["member_name"]))
requested = ui.clean_text(st.query_params.get("member", ""), 20).upper()


def choose_member() -> None:
    code = st.session_state.get("member_pick")
    if code:
        st.query_params["member"] = code


if not requested:
    st.title("Members")
    ui.provenance(filters)
    table = ui.run("by_member", filters)
    if table.empty:
        st.info("No member has commitments matching these filters. Clear a filter in the sidebar.")
        st.stop()
    st.selectbox(
        "Open a member's page",
        list(names),
        index=None,
        format_func=names.get,
        key="member_pick",
        on_change=choose_member,
        placeholder="Type a member's name",
    )
    shown = table.assign(
        kind=table["kind"].map(text.kind_label),
        status=table["status"].fillna("").str.capitalize(),
    )
    event = st.dataframe(
        shown[
            [
                "member_code",
                "member_name",
                "kind",
                "region",
                "status",
                "action_plans",
                "commitments",
                "high_completion_pct",
                "ambitious_pct",
                "starred",
                "first_year",
                "last_year",
            ]
        ],
        hide_index=True,
        width="stretch",
        height=ui.table_height(len(shown), 20),
        key="members-table",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "member_code": st.column_config.TextColumn("Code", width="small"),
            "member_name": "Name",
            "kind": "Type",
            "region": "Region",
            "status": "Status",
            "action_plans": "Action plans",
            "commitments": "Commitments",
            "high_completion_pct": st.column_config.NumberColumn(
                measures.HIGH_COMPLETION.label, format="%.0f%%", help=measures.HIGH_COMPLETION.share_label
            ),
            "ambitious_pct": st.column_config.NumberColumn(
                measures.AMBITIOUS.label, format="%.0f%%", help=measures.AMBITIOUS.share_label
            ),
            "starred": "Starred",
            "first_year": st.column_config.NumberColumn("First plan", format="%d"),
            "last_year": st.column_config.NumberColumn("Latest plan", format="%d"),
        },
    )
    st.caption("Select a row to open that member's page. Sort by any column by clicking its header.")
    if event and event.selection.rows:
        st.query_params["member"] = shown["member_code"].iloc[event.selection.rows[0]]
        st.rerun()
    ui.data_expander(table, "ogp-members", key="members-data", label="Download the list")
    st.stop()

if requested not in names:
    st.title("Members")
    st.warning(f"No member with the code “{requested}” in these snapshots. Pick one below.")
    st.selectbox(
        "Open a member's page",
        list(names),
        index=None,
        format_func=names.get,
        key="member_pick",
        on_change=choose_member,
    )
    st.stop()

code = requested
member = ui.run("member", member=code).iloc[0]
scope = Filters(snapshot=filters.snapshot, members=(code,))
everyone = Filters(snapshot=filters.snapshot)
st.title(member["member_name"])
facts = [
    text.member_kind(member["kind"]),
    member["region"],
    f"status: {member['status']}" if member["status"] else None,
]
st.markdown(" · ".join(ui.escape_md(f) for f in facts if f))
ui.provenance(scope)
mine, world = ui.run("headline", scope).iloc[0], ui.run("headline", everyone).iloc[0]
if not mine["commitments"]:
    st.info("No commitments of this member in the chosen snapshot. Choose “Latest of all snapshots”.")
    st.stop()
cols = st.columns(4)
cols[0].metric("Action plans", mine["action_plans"])
cols[1].metric("Commitments", mine["commitments"])
if mine["completion_assessed"]:
    cols[2].metric(
        measures.HIGH_COMPLETION.label,
        measures.HIGH_COMPLETION.value(mine),
        help=f"{measures.HIGH_COMPLETION.detail(mine)}. All members: {measures.HIGH_COMPLETION.value(world)}",
    )
else:
    cols[2].metric("High completion", "Pending", help="Pending IRM review: no completion assessment yet")
cols[3].metric(measures.STARRED.label, mine["starred"], help=measures.STARRED.detail(mine))
if not (mine["completion_assessed"] or mine["ambition_assessed"]):
    st.info("Pending IRM review: the IRM has not yet assessed these commitments.")
store, scope_line = ui.get_store(), ui.scope_text(scope)  # captured: the callable runs in another thread
st.download_button(
    "Download member brief (HTML)",
    lambda: brief.brief_for(store, code, filters.snapshot, scope_line),
    f"ogp-brief-{code}-{filters.snapshot or 'latest'}.html",
    "text/html",
    on_click="ignore",
    key="brief",
    icon=":material/description:",
    help="One printable A4 page: figures, charts and action plans",
)

plans = ui.run("member_plans", snapshot=filters.snapshot, member=code)
left, right = st.columns(2)
with left:
    ui.show_chart(
        ui.chart(charts.plans_timeline, plans, title=f"Action plans of {member['member_name']}"), key="plans"
    )
with right:
    titles = {t.slug: t.short for t in load_themes()}
    by_theme = ui.run("themes_count", scope).assign(theme=lambda d: d["theme"].map(titles))
    ui.show_chart(
        ui.chart(
            charts.ranking_bar,
            by_theme,
            label="theme",
            value="commitments",
            x_label="Commitments",
            y_label="Theme",
            title=f"Commitments of {member['member_name']} by theme",
        ),
        key="themes",
    )
ui.show_chart(
    ui.chart(
        charts.compare_bars,
        ui.member_vs_all(mine, world, member["member_name"]),
        category="measure",
        value="percent",
        group="group",
        count="count",
        whole="of",
        focus=member["member_name"],
        title=f"{member['member_name']} against all members",
        x_label=measures.COMPARED_AXIS,
        y_label="Share (%)",
    ),
    key="compare",
)

process = plans.dropna(subset=["steps_followed", "iap2_development"], how="all")
if not process.empty:
    st.subheader("Co-creation process")
    yes_no = {True: "Yes", False: "No"}
    shown = text.not_assessed(
        process, ("iap2_development", "iap2_implementation", "participation_development")
    ).assign(
        steps_followed=process["steps_followed"].map(lambda n: "–" if pd.isna(n) else f"{int(n)} of 6"),
        regular_forum=process["regular_forum"].map(yes_no).fillna("Unknown"),
        self_assessment_published=process["self_assessment_published"].map(yes_no).fillna("Unknown"),
    )
    st.dataframe(
        shown[list(PROCESS_COLUMNS)],
        hide_index=True,
        width="stretch",
        height=ui.table_height(len(shown)),
        column_config=PROCESS_COLUMNS,
    )
st.subheader("Commitments")
rows = ui.run("commitments_page", scope, limit=1000, offset=0)
ui.commitment_table(rows, key="member-commitments")
