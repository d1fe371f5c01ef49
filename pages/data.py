"""Data: where the numbers come from. Every snapshot with its date, source files and counts, the
coverage of each IRM rating (queries/rating_coverage.sql), and the import report of each file
with its warnings (manifest.json, written by `python -m ogp import`; ogp/data/imports.py shapes it)."""

import streamlit as st

from ogp.app import ui
from ogp.data import imports, sources
from ogp.model import i18n, registry, text, urls
from ogp.model.i18n import _, ngettext
from ogp.render import tables

store = ui.get_store()
snapshots = imports.snapshot_table(store.snapshots)

st.title(_("Data"))
st.markdown(
    ngettext(
        "The dashboard reads {n} snapshot: each one is an OGP or IRM export imported on the date it "
        "was taken. Below: what each brought in, how complete its ratings are, and what the importer "
        "noticed while reading it. How every figure is computed from these rows: [{methodology}]({url}).",
        "The dashboard reads {n} snapshots: each one is an OGP or IRM export imported on the date it "
        "was taken. Below: what each brought in, how complete its ratings are, and what the importer "
        "noticed while reading it. How every figure is computed from these rows: [{methodology}]({url}).",
        len(snapshots),
    ).format(
        n=i18n.number(len(snapshots)),
        methodology=_("Methodology"),
        url=urls.page_url(registry.METHODOLOGY.url),
    )
)
st.caption(ui.coverage())

st.header(_("Snapshots"))
st.dataframe(
    snapshots,
    hide_index=True,
    width="stretch",
    column_config={
        "snapshot": st.column_config.TextColumn(_("As of")),
        "sources": st.column_config.TextColumn(_("Source files (layout)"), width="large"),
        "scope": st.column_config.TextColumn(_("Scope"), width="medium"),
        "commitments": st.column_config.NumberColumn(_("Commitments"), format="%d"),
        "members": st.column_config.NumberColumn(_("Members"), format="%d"),
        "action_plans": st.column_config.NumberColumn(_("Action plans"), format="%d"),
        "warnings": st.column_config.NumberColumn(_("Warnings"), format="%d"),
        "made": st.column_config.TextColumn(_("Made by")),
        "created_at": st.column_config.TextColumn(_("Written (UTC)")),
    },
    key="table-snapshots",
)
st.download_button(
    _("Download the snapshot list as CSV"),
    tables.csv_bytes(snapshots),
    "ogp-snapshots.csv",
    "text/csv",
    on_click="ignore",
)

st.header(_("Coverage of each rating"))
st.caption(
    _(
        "Share of each snapshot's commitments that carry an IRM rating. A rating the IRM has not given "
        "(yet), or a value the importer could not read, counts as “{not_assessed}”."
    ).format(not_assessed=_(text.NOT_ASSESSED))
)
coverage = imports.coverage_table(ui.run("rating_coverage"))
st.dataframe(
    coverage.drop(columns=["rating"]),
    hide_index=True,
    width="stretch",
    height=ui.table_height(len(coverage), most=16),
    column_config={
        "snapshot": st.column_config.TextColumn(_("As of")),
        "label": st.column_config.TextColumn(_("Rating")),
        "rated": st.column_config.NumberColumn(_("Rated"), format="%d"),
        "commitments": st.column_config.NumberColumn(_("Commitments"), format="%d"),
        "share": st.column_config.ProgressColumn(_("Coverage"), min_value=0.0, max_value=1.0, format=" "),
        "coverage": st.column_config.TextColumn(_("Share rated")),
    },
    key="table-coverage",
)
st.download_button(
    _("Download the coverage as CSV"),
    tables.csv_bytes(coverage),
    "ogp-rating-coverage.csv",
    "text/csv",
    on_click="ignore",
)

st.header(_("Sources"))
st.caption(
    _(
        "Where OGP publishes its data (data/sources.toml) and what `python -m ogp refresh` found on its last "
        "attempt at each, in UTC. A failed attempt changes no snapshot; its reason is shown as the refresh "
        "wrote it, in English. The next run is known when a systemd timer runs the refresh."
    )
)
source_status = sources.status_table()
if source_status.empty:
    st.info(_("No source is listed in data/sources.toml."))
else:
    for row in source_status[source_status["failed"]].itertuples():
        st.warning(
            _("{source}: the last attempt ({when} UTC) changed nothing: {reason}").format(
                source=text.escape_md(row.source),
                when=row.attempted,
                reason=text.escape_md(row.reason or row.result),
            )
        )
    st.dataframe(
        source_status.drop(columns=["failed"]),
        hide_index=True,
        width="stretch",
        height=ui.table_height(len(source_status)),
        column_config={
            "source": st.column_config.TextColumn(_("Source")),
            "scope": st.column_config.TextColumn(_("Covers")),
            "url": st.column_config.TextColumn(_("Address")),
            "attempted": st.column_config.TextColumn(_("Last attempt")),
            "result": st.column_config.TextColumn(_("Result")),
            "status": st.column_config.NumberColumn(_("HTTP status"), format="%d"),
            "bytes": st.column_config.NumberColumn(_("Bytes"), format="localized"),
            "sha256": st.column_config.TextColumn(_("sha256")),
            "reason": st.column_config.TextColumn(_("Reason"), width="large"),
            "changed": st.column_config.TextColumn(_("Last change")),
            "snapshot": st.column_config.TextColumn(_("Snapshot made")),
            "next_run": st.column_config.TextColumn(_("Next run")),
        },
        key="table-sources",
    )

st.header(_("Import reports"))
if i18n.current() != i18n.DEFAULT:
    st.caption(
        _(
            "The importer's own notes (file layouts, repairs, warnings) are shown as it wrote them, in English."
        )
    )
for snap in sorted(store.snapshots, key=lambda s: s.name, reverse=True):
    manifest = snap.manifest
    warnings = manifest.get("warnings", [])
    files = (manifest.get("report") or {}).get("files", [])
    label = f"{snap.name} · {', '.join(s.get('file', '?') for s in manifest.get('sources', [])) or _('synthetic')}"
    n_warnings = ngettext("{n} warning", "{n} warnings", len(warnings)).format(n=i18n.number(len(warnings)))
    with st.expander(f"{label} · {n_warnings}", expanded=False):
        if not files:
            st.info(
                _("No import report: this snapshot holds synthetic test data, not an OGP export.")
                if snap.synthetic
                else _("No import report: this snapshot was imported before reports existed.")
            )
        for f in files:
            head, *lines = imports.report_lines(f)
            st.markdown(f"**{text.escape_md(head)}**")
            st.markdown("\n".join(f"- {text.escape_md(line)}" for line in lines))
            for title, table in imports.report_tables(f).items():
                if len(table):
                    st.markdown(f"**{title}**")
                    st.dataframe(table, hide_index=True, width="stretch")
        matched = imports.matching_line(manifest.get("report") or {})
        if matched:
            st.markdown(f"**{_('Matching across snapshots')}**: {text.escape_md(matched)}")
        if warnings:
            st.markdown(f"**{_('Warnings')}**")
            st.markdown("\n".join(f"- {text.escape_md(w)}" for w in warnings))
