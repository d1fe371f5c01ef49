"""What needs attention: late action plans, plans awaiting assessment, commitments at risk, what
changed since the previous snapshot and data gaps, for the members, region and theme chosen in
the sidebar, as of the chosen snapshot. The lists and their definitions are ogp/monitor.py's."""

import pandas as pd
import streamlit as st

from ogp import monitor, ui, urls

ui.ensure_dashboard()  # a deep link on a fresh server: go through dashboard.py

filters = ui.sidebar_filters()
store = ui.get_store()
report = monitor.build(store, filters, run=ui.run)
counts = report.counts()

st.title("What needs attention")
compared = (
    f"changes from the snapshot of {report.previous} to that of {report.current}"
    if report.previous
    else f"no snapshot before {report.current} to compare with"
)
st.caption(f"As of {report.as_of}; {compared}.")
ui.provenance(filters)  # the snapshots, what the exports cover, the Methodology (every definition below)

cols = st.columns(5)
cols[0].metric("Late action plans", f"{counts['late']:,}")
cols[1].metric(
    "Awaiting assessment",
    f"{counts['awaiting']:,}",
    help=f"{counts['awaiting_commitments']:,} commitments without a completion assessment",
)
cols[2].metric("At risk", f"{counts['at_risk']:,}")
cols[3].metric(
    "Changed",
    f"{report.changed_total():,}",
    help=f"{counts['added']:,} added, {counts['dropped']:,} dropped, {counts['regrouped']:,} regrouped, "
    f"{counts['changed']:,} with a rating changed",
)
cols[4].metric("Data gaps", f"{counts['gaps']:,}")

MEMBER = st.column_config.LinkColumn("Member", display_text=urls.SHOWN_MEMBER, width="small")
COMMITMENT = st.column_config.LinkColumn("Commitment", display_text=urls.SHOWN_COMMITMENT)
COLUMNS = {
    "member_name": st.column_config.TextColumn("Name"),
    "title": st.column_config.TextColumn("Title", width="large"),
    "action_plan": st.column_config.NumberColumn("Plan", format="%d"),
    "year_submitted": st.column_config.NumberColumn("Submitted", format="%d"),
    "end_year": st.column_config.NumberColumn("Ends", format="%d"),
    "ap_end_year": st.column_config.NumberColumn("Ends", format="%d"),
    "as_of": st.column_config.DateColumn("As of"),
    "snapshot": st.column_config.DateColumn("As of"),
    "url": st.column_config.LinkColumn("OGP page", display_text="open ↗"),
}


def linked(df: pd.DataFrame) -> pd.DataFrame:
    out = df.assign(member=[urls.member_url(c) for c in df["member_code"]])
    if "key" in df:
        out["commitment"] = [urls.commitment_url(k) if isinstance(k, str) else None for k in df["key"]]
    return out


def describe(key: str) -> None:
    d = monitor.DEFINITION[key]
    st.caption(f"{d.text} **As of:** {d.as_of}")


def show(
    key: str, df: pd.DataFrame, columns: list[str], labels: dict | None = None, *, described=False
) -> None:
    """A list: its definition, the table with links, its CSV."""
    d = monitor.DEFINITION[key]
    if not described:
        describe(key)
    if df.empty:
        st.info(f"Nothing in “{d.title}” for this selection.")
        return
    table = linked(df)
    for col in ("url", "detail", "commitment", "key"):  # no "None" where a row has no value
        if col in table:
            table[col] = table[col].astype("object").where(table[col].notna(), "")
    config = {"member": MEMBER, "commitment": COMMITMENT, **COLUMNS, **(labels or {})}
    st.dataframe(
        table[columns],
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(table), 420),
        column_config=config,
        key=f"table-{key}",
    )
    st.download_button(
        f"Download {len(df):,} rows as CSV",
        df.to_csv(index=False).encode("utf-8"),
        f"ogp-monitor-{key}-{report.as_of}.csv",
        "text/csv",
        key=f"csv-{key}",
        on_click="ignore",
    )


tabs = st.tabs(
    [
        f"Late plans ({counts['late']:,})",
        f"Awaiting assessment ({counts['awaiting']:,})",
        f"At risk ({counts['at_risk']:,})",
        f"Changes ({report.changed_total():,})",
        f"Data gaps ({counts['gaps']:,})",
    ]
)
with tabs[0]:
    show(
        "late",
        report.late.assign(since=report.late["months_since_end"].map(monitor.since_text)),
        ["member", "member_name", "action_plan", "year_submitted", "end_year", "since", "as_of"],
        {"since": st.column_config.TextColumn("Since its end")},
    )
with tabs[1]:
    show(
        "awaiting",
        report.awaiting.assign(since=report.awaiting["months_since_end"].map(monitor.since_text)),
        ["member", "member_name", "action_plan", "end_year", "since", "not_assessed", "commitments", "as_of"],
        {
            "since": st.column_config.TextColumn("Since its end"),
            "not_assessed": st.column_config.NumberColumn("Not assessed"),
            "commitments": st.column_config.NumberColumn("Commitments"),
        },
    )
with tabs[2]:
    show(
        "at_risk",
        report.at_risk,
        ["commitment", "member", "member_name", "title", "completion", "ap_end_year", "snapshot", "url"],
        {"completion": st.column_config.TextColumn("Completion")},
    )
with tabs[3]:
    describe("changes")
    if report.previous is None:
        st.info(
            f"There is no snapshot before {report.current}: nothing to compare with. "
            "Import an earlier or a newer export with `python -m ogp import`."
        )
    else:
        st.markdown(
            f"**{counts['added']:,}** commitments added, **{counts['dropped']:,}** dropped, "
            f"**{counts['regrouped']:,}** regrouped and "
            f"**{counts['changed']:,}** with a rating changed ({counts['rating_changes']:,} changes) "
            f"from {report.previous} to {report.current}."
        )
        summary = report.changes_by_member()
        if len(summary):
            st.dataframe(
                linked(summary)[["member", "member_name", "added", "dropped", "regrouped", "changed"]],
                hide_index=True,
                width="stretch",
                height=min(38 + 35 * len(summary), 300),
                column_config={
                    "member": MEMBER,
                    "member_name": "Name",
                    "added": "Added",
                    "dropped": "Dropped",
                    "regrouped": "Regrouped",
                    "changed": "Rating changed",
                },
                key="table-changes-members",
            )
        changes = report.changes
        show(
            "changes",
            changes.assign(
                what=[
                    monitor.change_text(r, a, b) if c == "rating changed" else c.capitalize()
                    for c, r, a, b in changes[["change", "rating", "from_value", "to_value"]].itertuples(
                        index=False
                    )
                ]
            ),
            ["commitment", "member", "member_name", "what", "title", "url"],
            {"what": st.column_config.TextColumn("Change", width="medium")},
            described=True,
        )
with tabs[4]:
    if counts["gaps"]:
        st.markdown(report.gap_summary() + ".")
    show(
        "gaps",
        report.gaps.assign(gap=report.gaps["gap"].str.capitalize()),
        ["gap", "member", "member_name", "commitment", "title", "detail", "snapshot"],
        {"gap": st.column_config.TextColumn("Gap"), "detail": st.column_config.TextColumn("Value")},
    )
    for note in report.import_notes:
        st.caption(f"Import report: {note}")
