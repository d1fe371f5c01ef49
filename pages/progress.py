"""Progress: what changed between two snapshots, mid-term against end of term, and the
commitments at risk in action plans that are still open."""

import pandas as pd
import streamlit as st

from ogp.app import ui
from ogp.model import measures
from ogp.model.i18n import N_, _, ngettext, number
from ogp.render import charts

MOVERS_SHOWN = 500
DIRECTIONS = {"up": N_("Upwards"), "down": N_("Downwards")}  # shown through _()
DIRECTION_SIGN = {"up": 1, "down": -1}


def move_counts(scope: dict) -> dict[str, int]:
    moves = ui.run("transitions", **scope)
    return charts.moves(
        moves, from_col="from_level", to_col="to_level", count="commitments", scale="completion"
    )


def stages_by_cycle(filters) -> pd.DataFrame:
    """High completion at mid-term and at end of term per action-plan cycle, long form."""
    stages = ui.run("midterm_vs_end", filters)
    return (
        pd.concat(
            [
                stages.assign(
                    stage=_("Mid-term"),
                    percent=100
                    * stages["midterm_high"]
                    / stages["midterm_assessed"].where(stages["midterm_assessed"] > 0),
                    assessed=stages["midterm_assessed"],
                    count=stages["midterm_high"],
                ),
                stages.assign(
                    stage=_("End of term"),
                    percent=100
                    * stages["end_high"]
                    / stages["end_assessed"].where(stages["end_assessed"] > 0),
                    assessed=stages["end_assessed"],
                    count=stages["end_high"],
                ),
            ]
        )[["action_plan", "stage", "percent", "count", "assessed"]]
        .assign(action_plan=lambda d: [_("Plan {n}").format(n=n) for n in d["action_plan"]])
        .round(1)
    )


filters = ui.filters()
store = ui.get_store()
st.title(_("Progress"))
names = store.progress_snapshot_names
# One snapshot control, the sidebar's "Data as of": every section reads it, and what it says
# comes first. The comparison runs up to it (the newest snapshot when it is the latest of all),
# from the earlier snapshot chosen here; a second "Later snapshot" here disagreed with it.
later = filters.snapshot or (names[-1] if names else None)
ui.provenance(filters)

st.header(_("What changed between two snapshots"))
if len(names) < 2:
    st.info(
        _(
            "Progress between snapshots needs at least two snapshots; there is one. "
            "Once a newer OGP export is imported (the README's “Commands” say how), this page compares them."
        )
    )
elif later not in names[1:]:
    st.info(
        _(
            "No earlier snapshot to compare {snapshot} with: choose a later one in “Data as of” in "
            "the sidebar to see what changed."
        ).format(snapshot=later)
    )
else:
    if len(store.snapshot_names) > len(names):
        st.caption(
            _(
                "Progress compares the {n} newest snapshots (from {first}); older ones are in the other pages."
            ).format(n=len(names), first=names[0])
        )
    after = later
    before = st.columns(2)[0].selectbox(
        _("Compared with the snapshot of"),
        [n for n in names if n < after],
        index=0,
        key="from",
        bind="query-params",
        help=_(
            "The later snapshot is “Data as of” in the sidebar (the newest one when it shows the latest of all)."
        ),
    )
    scope = dict(filters.without("snapshot").params(), from_snapshot=before, to_snapshot=after)
    moves = ui.run("transitions", **scope)
    if moves.empty:
        st.info(
            _("No commitment appears in both {before} and {after} with these filters.").format(
                before=before, after=after
            )
        )
    else:
        ui.show_chart(
            ui.chart(
                charts.transition_matrix,
                moves,
                from_col="from_level",
                to_col="to_level",
                count="commitments",
                scale="completion",
                # levels: the latest rating in each snapshot, whatever the filter bar's rating
                # (queries/transitions.sql)
                title=measures.rated(
                    _("Completion in {before} (rows) against {after} (columns)").format(
                        before=before, after=after
                    ),
                    None,
                ),
                x_label=_("Completion in {snapshot}").format(snapshot=after),
                y_label=_("Completion in {snapshot}").format(snapshot=before),
            ),
            key="transitions",
        )
        counts = ui.derived(move_counts, scope)  # computed once per snapshots and filters
        direction = ui.coded_choice(
            _("Moves to list"),
            {k: _(v) for k, v in DIRECTIONS.items()},
            key="direction",
            none_label=_("Up and down"),
        )
        movers = ui.run("movers", **scope, direction=DIRECTION_SIGN.get(direction), limit=MOVERS_SHOWN)
        listed = {None: counts["changed"], "up": counts["up"], "down": counts["down"]}[direction]
        st.markdown(
            ngettext(
                "**{n}** commitment rated in both snapshots changed level: **{up}** upwards, **{down}** downwards",
                "**{n}** commitments rated in both snapshots changed level: **{up}** upwards, **{down}** downwards",
                counts["changed"],
            ).format(n=number(counts["changed"]), up=number(counts["up"]), down=number(counts["down"]))
            + (
                _("; the {n} biggest of these moves are listed.").format(n=number(MOVERS_SHOWN))
                if listed > MOVERS_SHOWN
                else "."
            )
        )
        if movers.empty:
            st.info(_("No commitment moved this way between these snapshots."))
        else:
            ui.commitment_table(movers, key="movers")

st.header(_("Mid-term against end of term"))
long = ui.derived(stages_by_cycle, filters)  # computed once per filters
if long["assessed"].sum() == 0:
    st.info(_("No commitment in this selection has a mid-term or end-of-term completion assessment yet."))
else:
    ui.show_chart(
        ui.chart(
            charts.compare_bars,
            long,
            category="action_plan",
            value="percent",
            group="stage",
            count="count",
            whole="assessed",
            title=_("High completion at mid-term and at end of term, by action-plan cycle"),
            x_label=_("Action-plan cycle"),
            y_label=_("Substantial or complete (% of commitments rated at that stage)"),
        ),
        key="stages",
    )

st.header(_("At risk"))
risk = ui.run("at_risk", filters)
st.markdown(
    _(
        "Commitments of action plans still open at their snapshot's date whose latest assessment "
        "is *not started* or *limited*: **{n}**."
    ).format(n=number(len(risk)))
)
if risk.empty:
    st.info(
        _(
            "No commitment is at risk in this selection. Note that since 2020 the IRM assesses "
            "completion at the end of an action plan, so plans that are still open often have no "
            "completion rating yet."
        )
    )
else:
    ui.commitment_table(risk, key="at-risk")
    ui.data_expander(risk, _("ogp-at-risk"), key="risk-data", label=_("Download the at-risk list"))
