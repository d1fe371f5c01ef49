"""Tables as people read them (pure: no Streamlit): a member list and a plan's co-creation
process shaped for display, labels in the reader's language. Their column headers are in
`ogp.ui` (`member_columns`, `process_columns`), next to the commitments table's."""

from __future__ import annotations

import pandas as pd

from ogp import i18n, text
from ogp.i18n import _

MEMBER_COLUMNS = (
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
)
PROCESS_COLUMNS = (
    "action_plan",
    "year_submitted",
    "steps_followed",
    "iap2_development",
    "iap2_implementation",
    "participation_development",
    "regular_forum",
    "self_assessment_published",
)


def member_list(table: pd.DataFrame):
    """The members table as shown (type, region and status in the reader's language), as Arrow:
    st.dataframe converts a pandas frame on every rerun (a 1M-commitment store has many members)."""
    import pyarrow as pa

    shown = table.assign(
        kind=table["kind"].map(text.kind_label),
        region=table["region"].map(i18n.region),
        status=table["status"].map(lambda v: text.member_status(v).capitalize()),
    )
    return pa.Table.from_pandas(shown[list(MEMBER_COLUMNS)], preserve_index=False)


def process_table(plans: pd.DataFrame):
    """The co-creation process of each action plan, as the table shows it, as Arrow (converted
    once, as `member_list`); an empty table when no plan has a process assessment."""
    import pyarrow as pa

    process = plans.dropna(subset=["steps_followed", "iap2_development"], how="all")
    yes_no = {True: _("Yes"), False: _("No")}
    shown = text.not_assessed(
        process, ("iap2_development", "iap2_implementation", "participation_development")
    ).assign(
        steps_followed=process["steps_followed"].map(
            lambda n: "–" if pd.isna(n) else _("{n} of 6").format(n=int(n))
        ),
        regular_forum=process["regular_forum"].map(yes_no).fillna(_("Unknown")),
        self_assessment_published=process["self_assessment_published"].map(yes_no).fillna(_("Unknown")),
        **{
            c: process[c].map(lambda v: i18n.level("iap2", v)).fillna(_(text.NOT_ASSESSED))
            for c in ("iap2_development", "iap2_implementation")
            if c in process
        },
    )
    return pa.Table.from_pandas(shown[list(PROCESS_COLUMNS)], preserve_index=False)
