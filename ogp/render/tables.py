"""Tables as people read them (pure: no Streamlit): a member list and a plan's co-creation
process shaped for display, labels in the reader's language (their headers: text.COLUMN_LABELS,
through `ogp.app.ui`'s `member_columns`, `process_columns`), and the files people download: every
CSV and Excel the product writes goes through `csv_bytes` / `excel_bytes`, which keep text from
outside as text (a title starting with "=" is no formula)."""

from __future__ import annotations

import io

import pandas as pd

from ogp.model import i18n, measures, text
from ogp.model.i18n import _

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


def member_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The members table as shown and downloaded: type, region and status in the reader's
    language, the columns of MEMBER_COLUMNS."""
    shown = table.assign(
        kind=table["kind"].map(text.kind_label),
        region=table["region"].map(i18n.region),
        status=table["status"].map(lambda v: text.member_status(v).capitalize()),
    )
    return shown[list(MEMBER_COLUMNS)]


def member_list(table: pd.DataFrame):
    """member_rows as the table shows them: a share no commitment of the member was assessed
    for reads "–" (st.dataframe shows a missing number as "None"), still sorted as a number
    (a Styler's display values; the members are few, one row each)."""
    pct = ("high_completion_pct", "ambitious_pct")
    return member_rows(table).style.format("{:.0f}%", subset=list(pct), na_rep="–")


def headed(df: pd.DataFrame, rating: str | None = None) -> pd.DataFrame:
    """A frame with the column headers a reader sees (text.COLUMN_LABELS, reader's language);
    a completion share says which rating it reads (`rating`, ogp/model/filters.py), as on screen."""
    rated = {"high_completion_pct": measures.HIGH_COMPLETION.rated_label(rating)}
    return df.rename(columns={c: rated.get(c) or text.column_label(c) for c in df.columns})


# -- files people download ------------------------------------------------------------------
# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP, "CSV
# injection"): "=HYPERLINK(...)", "@SUM(...)", "+1+cmd|...", "-2+3", and a tab or carriage
# return before any of them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A text that a spreadsheet would run, made plain text by a leading apostrophe (OWASP's
    advice; spreadsheet programs show the rest as typed). Numbers and other text pass as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text_columns(df: pd.DataFrame) -> list:
    return [
        c
        for c in df.columns
        if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_datetime64_any_dtype(df[c]))
    ]


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A frame as UTF-8 CSV, no cell a formula (text columns through `inert`; a number, such as
    -3, stays a number), headers included."""
    cols = _text_columns(df)
    safe = df.assign(**{c: df[c].map(inert) for c in cols}) if cols else df
    safe.columns = [inert(str(c)) for c in df.columns]
    return safe.to_csv(index=False).encode("utf-8")


def excel_bytes(df: pd.DataFrame, sheet: str = "commitments") -> bytes:
    """A frame as an Excel workbook (openpyxl) whose cells are values, never formulas: pandas
    writes a text starting with "=" as a formula cell, so every such cell is typed back to text
    (shown exactly as the data has it; a text cell is never calculated, whatever it starts with)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        df.to_excel(writer, sheet_name=sheet[:31], index=False)
        for row in writer.sheets[sheet[:31]].iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return buffer.getvalue()


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
