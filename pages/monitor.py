"""What needs attention: late action plans, plans awaiting assessment, commitments at risk, what
changed since the previous snapshot and data gaps, for the members, region and theme chosen in
the sidebar, as of the chosen snapshot. The lists and their definitions are ogp/render/monitor.py's."""

import pandas as pd
import streamlit as st

from ogp.app import ui
from ogp.model import measures, text, urls
from ogp.model.i18n import _, ngettext, number, pgettext
from ogp.render import monitor, tables, views

filters = ui.filters()
store = ui.get_store()
report = views.monitor(ui.run, store.snapshots, filters)
counts = report.counts()

st.title(_("What needs attention"))
compared = (
    _("As of {as_of}; changes from the snapshot of {previous} to that of {current}.")
    if report.previous
    else _("As of {as_of}; no snapshot before {current} to compare with.")
)
st.caption(compared.format(as_of=report.as_of, previous=report.previous, current=report.current))
ui.provenance(filters)  # the snapshots, what the exports cover, the Methodology (every definition below)

cols = st.columns(5)
# The metrics' labels have a context of their own: a short form where the language's is long
# (five metrics in a row; "Planes de acción atrasados" was cut at 1280 px).
cols[0].metric(pgettext("metric", "Late action plans"), number(counts["late"]))
cols[1].metric(
    pgettext("metric", "Awaiting assessment"),
    number(counts["awaiting"]),
    help=ngettext(
        "{n} commitment without a completion assessment",
        "{n} commitments without a completion assessment",
        counts["awaiting_commitments"],
    ).format(n=number(counts["awaiting_commitments"])),
)
cols[2].metric(_("At risk"), number(counts["at_risk"]))
cols[3].metric(
    _("Changed"),
    number(report.changed_total()),
    help=_("{added} added, {dropped} dropped, {regrouped} regrouped, {changed} with a rating changed").format(
        added=number(counts["added"]),
        dropped=number(counts["dropped"]),
        regrouped=number(counts["regrouped"]),
        changed=number(counts["changed"]),
    ),
)
cols[4].metric(_("Data gaps"), number(counts["gaps"]))

# Headers from the one table of column labels (text.COLUMN_LABELS), as on every other page: the
# member's link shows its code, its name is the Member column.
label = text.column_label
MEMBER = st.column_config.LinkColumn(label("member_code"), display_text=urls.SHOWN_MEMBER, width="small")
COMMITMENT = st.column_config.LinkColumn(label("key"), display_text=urls.SHOWN_COMMITMENT)
COLUMNS = {
    "member_name": st.column_config.TextColumn(label("member_name")),
    "title": st.column_config.TextColumn(label("title"), width="large"),
    "action_plan": st.column_config.NumberColumn(label("action_plan"), format="%d"),
    "year_submitted": st.column_config.NumberColumn(label("year_submitted"), format="%d"),
    "end_year": st.column_config.NumberColumn(label("ap_end_year"), format="%d"),
    "ap_end_year": st.column_config.NumberColumn(label("ap_end_year"), format="%d"),
    "as_of": st.column_config.DateColumn(_("As of")),
    "snapshot": st.column_config.DateColumn(_("As of")),
    "url": st.column_config.LinkColumn(text.column_label("url"), display_text=_("open ↗")),
}


def describe(key: str) -> None:
    d = monitor.DEFINITION[key]
    st.caption(f"{d.text} **{_('As of:')}** {d.as_of}")


def show(
    key: str, df: pd.DataFrame, columns: list[str], labels: dict | None = None, *, described=False
) -> None:
    """A list: its definition, the table with links, its CSV."""
    d = monitor.DEFINITION[key]
    if not described:
        describe(key)
    if df.empty:
        st.info(_("Nothing in “{list}” for this selection.").format(list=d.title))
        return
    table = monitor.linked(df)
    config = {"member": MEMBER, "commitment": COMMITMENT, **COLUMNS, **(labels or {})}
    st.dataframe(
        table[columns],
        hide_index=True,
        width="stretch",
        height=ui.table_height(len(table), most=11),
        column_config=config,
        key=f"table-{key}",
    )
    st.download_button(
        ngettext("Download {n} row as CSV", "Download {n} rows as CSV", len(df)).format(n=number(len(df))),
        tables.csv_bytes(df),
        f"ogp-monitor-{key}-{report.as_of}.csv",
        "text/csv",
        key=f"csv-{key}",
        on_click="ignore",
    )


labels, opened = monitor.tabs(report)
tabs = st.tabs(labels, default=opened)
with tabs[0]:
    if monitor.late_note(report):
        st.info(monitor.late_note(report))
    show(
        "late",
        report.late.assign(since=report.late["months_since_end"].map(monitor.since_text)),
        ["member", "member_name", "action_plan", "year_submitted", "end_year", "since", "as_of"],
        {"since": st.column_config.TextColumn(_("Since its end"))},
    )
with tabs[1]:
    show(
        "awaiting",
        report.awaiting.assign(since=report.awaiting["months_since_end"].map(monitor.since_text)),
        ["member", "member_name", "action_plan", "end_year", "since", "not_assessed", "commitments", "as_of"],
        {
            "since": st.column_config.TextColumn(_("Since its end")),
            "not_assessed": st.column_config.NumberColumn(_("Not assessed")),
            "commitments": st.column_config.NumberColumn(_("Commitments")),
        },
    )
with tabs[2]:
    show(
        "at_risk",
        report.at_risk.assign(
            completion=report.at_risk["completion"].map(lambda v: monitor.level_text(v, "completion"))
        ),
        ["commitment", "member", "member_name", "title", "completion", "ap_end_year", "snapshot", "url"],
        {"completion": st.column_config.TextColumn(measures.rated(_("Completion"), None))},  # at_risk.sql
    )
with tabs[3]:
    describe("changes")
    if report.previous is None:
        st.info(
            _(
                "There is no snapshot before {current}: nothing to compare with. Changes appear here "
                "once an earlier or a newer export is added (see the Data page)."
            ).format(current=report.current)
        )
    else:
        st.markdown(
            _(
                "**{added}** commitments added, **{dropped}** dropped, **{regrouped}** regrouped and "
                "**{changed}** with a rating changed ({rating_changes} changes) from {previous} to {current}."
            ).format(
                **{
                    k: number(counts[k])
                    for k in ("added", "dropped", "regrouped", "changed", "rating_changes")
                },
                previous=report.previous,
                current=report.current,
            )
        )
        if monitor.outside_text(report):
            st.caption(monitor.outside_text(report))
        summary = report.changes_by_member()
        if len(summary):
            st.dataframe(
                monitor.linked(summary)[
                    ["member", "member_name", "added", "dropped", "regrouped", "changed"]
                ],
                hide_index=True,
                width="stretch",
                height=ui.table_height(len(summary), most=8),
                column_config={
                    "member": MEMBER,
                    "member_name": label("member_name"),
                    "added": _("Added"),
                    "dropped": _("Dropped"),
                    "regrouped": _("Regrouped"),
                    "changed": _("Rating changed"),
                },
                key="table-changes-members",
            )
        show(
            "changes",
            monitor.described_changes(report.changes),
            ["commitment", "member", "member_name", "what", "title", "url"],
            {"what": st.column_config.TextColumn(_("Change"), width="medium")},
            described=True,
        )
with tabs[4]:
    if counts["gaps"]:
        st.markdown(report.gap_summary() + ".")
    show(
        "gaps",
        report.gaps.assign(gap=report.gaps["gap"].map(monitor.gap_word)),
        ["gap", "member", "member_name", "commitment", "title", "detail", "snapshot"],
        {"gap": st.column_config.TextColumn(_("Gap")), "detail": st.column_config.TextColumn(_("Value"))},
    )
    for note in report.import_notes:
        st.caption(_("Import report: {note}").format(note=note))
