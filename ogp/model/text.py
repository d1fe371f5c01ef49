"""Words, numbers and colours as people read them, written once (pure: no Streamlit, no SQL).

Charts, maps, the deck, the brief and the pages all take their shares, plurals, labels, the
note on what the bundled exports cover and the colours of "this member" / "all" from here.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable

import pandas as pd

from ogp.model import i18n
from ogp.model.i18n import N_, _

# -- labels -------------------------------------------------------------------------------
# A rating the IRM has not given (yet). Never "None": that is a real level of potential impact
# and of specificity (ogp.model.scales), so a missing value must not read like it.
NOT_ASSESSED = N_("Not assessed")  # a key in charts and tables; shown through _()
# IRM rating columns of the snapshot (ogp.model.scales.COLUMN_SCALE) -> as shown.
RATING_LABELS = {
    "completion_midterm": N_("Completion (mid-term)"),
    "completion_end": N_("Completion (end of term)"),
    "potential_impact": N_("Potential impact"),
    "potential_for_results": N_("Potential for results"),
    "specificity": N_("Specificity"),
    "diog": N_("Did it open government"),
    "early_results": N_("Early results"),
}
# Member kinds as stored (members.parquet `kind`) -> as shown.
KINDS = {"national": N_("National"), "local": N_("Local")}

# What the bundled exports are: shown next to every number (pages, deck, brief).
# Shown through _() (pages, deck, brief); the digest is written in English.
EXPORT_NOTE = N_(
    "The bundled exports are a subset of OGP's work: a 2017 IRM table of the first "
    "action plans and a 2024 export filtered to parliament and legislation topics. "
    "OGP counts more than 4,500 commitments from 75+ countries and 100+ local members."
)
# What the bundled snapshots cover (their manifests' `scope`, set by `ogp import --scope`): marked
# here so that extract_note shows them in the reader's language; any other scope shows as written.
BUNDLED_SCOPES = (
    N_("commitments on open parliaments and legislation"),
    N_("commitments of the action plans the IRM had assessed (plans submitted 2011–2014)"),
)


def extract_note(extracts: Iterable[tuple[str, str | None]], short: bool = False) -> str:
    """The sentence every page that counts members, plans or changes shows when its snapshots
    include extracts: `extracts` = (snapshot date, what it covers) of each extract among them
    (ogp.data.store.Store.extracts). '' when all are complete exports. `short`: what they are only
    (the deck's source line)."""
    items = [
        (name, _(covers) if covers else _("what it covers was not recorded")) for name, covers in extracts
    ]
    if not items:
        return ""
    if len(items) == 1:
        name, covers = items[0]
        said = _("The snapshot of {date} is an extract: {covers}.").format(date=name, covers=covers)
        limit = _(
            "Members, action plans and commitments outside it are not counted here, and one it "
            "leaves out may still exist."
        )
    else:
        listed = "; ".join(f"{n}, {c}" for n, c in items)
        said = _("These snapshots are extracts: {extracts}.").format(extracts=listed)
        limit = _(
            "Members, action plans and commitments outside them are not counted here, and one they "
            "leave out may still exist."
        )
    return said if short else f"{said} {limit}"


# Shown after the extract sentence, which says the rest of EXPORT_NOTE from the manifests.
OGP_TOTALS = N_("OGP counts more than 4,500 commitments from 75+ countries and 100+ local members.")
# The public site's source line: the snapshots it was baked from follow it (ogp/ops/bake.py).
SOURCE_PUBLISHED = N_(
    "Source: Open Government Partnership commitments and their assessments by the Independent "
    "Reporting Mechanism (IRM)."
)
SOURCE = N_(
    "Source: Open Government Partnership commitments and their assessments by the Independent "
    "Reporting Mechanism (IRM), from the exports bundled with the OGP Progress Dashboard."
)

# Every column a reader sees, in a table on screen, a chart's data or a download (CSV, Excel),
# by its name in the frames: the one table of column headers (ogp/app/ui.py's column configs and
# every export read it through column_label).
COLUMN_LABELS = {
    "key": N_("Commitment"),
    "ogp_id": N_("OGP id"),
    "member_name": N_("Member"),
    "member_code": N_("Code"),
    "kind": N_("Member type"),
    "region": N_("Region"),
    "status": N_("Status"),
    "iso3": N_("ISO code"),
    "commitments": N_("Commitments"),
    "action_plans": N_("Action plans"),
    "action_plan": N_("Action plan"),
    "commitment_no": N_("Commitment number"),
    "description": N_("Description"),
    "lead_institution": N_("Lead institution"),
    "supporting_institutions": N_("Supporting institutions"),
    "year_submitted": N_("Year of submission"),
    "ap_end_year": N_("Plan end year"),
    "first_year": N_("First plan"),
    "last_year": N_("Latest plan"),
    "themes": N_("Themes"),
    "policy_areas": N_("Policy areas"),
    "specificity": N_("Specificity"),
    "from_level": N_("From"),
    "to_level": N_("To"),
    "completion": N_("Completion"),
    "completion_midterm": N_("Completion at mid-term"),
    "completion_end": N_("Completion at end of term"),
    "potential_impact": N_("Potential impact"),
    "potential_for_results": N_("Potential for results"),
    "diog": N_("Did it open government?"),
    "early_results": N_("Early results"),
    "high_completion": N_("High completion"),
    "high_completion_pct": N_("High completion (% of assessed)"),
    "completion_assessed": N_("Assessed for completion"),
    "ambitious": N_("Ambitious"),
    "ambitious_pct": N_("Ambitious (% of assessed)"),
    "ambition_assessed": N_("Assessed for ambition"),
    "strong_results": N_("Opened government"),
    "diog_assessed": N_("Assessed at end of term"),
    "starred": N_("Starred"),
    "members": N_("Members"),
    "title": N_("Title"),
    "url": N_("OGP page"),
    "theme": N_("Theme"),
    "measure": N_("Measure"),
    "group": N_("Group"),
    "percent": N_("Percent"),
    "count": N_("Count"),
    "of": N_("Of"),
    "share": N_("Share"),
    "snapshot": N_("Snapshot"),
    "steps_followed": N_("Consultation steps"),
    "iap2_development": N_("IAP2 level (development)"),
    "iap2_implementation": N_("IAP2 level (implementation)"),
    "participation_development": N_("Participation (development)"),
    "regular_forum": N_("Regular forum"),
    "self_assessment_published": N_("Self-assessment published"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
}


def column_label(col: str) -> str:
    """A frame's column as a reader sees it, in the reader's language: `high_completion_pct`
    -> "High completion (% of assessed)"; columns not listed are prettified as they are."""
    if col in COLUMN_LABELS:
        return _(COLUMN_LABELS[col])
    words = col.removesuffix("_pct").replace("_", " ")
    words = words[:1].upper() + words[1:]
    return f"{words} (%)" if col.endswith("_pct") else words


# -- colours (Okabe-Ito blue; a grey with 3.4:1 contrast on white, enough for bars) ------------
FOCUS_COLOUR = "#0072B2"  # the member or theme being looked at
ALL_COLOUR = "#8A8A8A"  # all members / all commitments, in comparisons
NOT_ASSESSED_COLOUR = "#DDDDDD"  # the "Not assessed" part of a stacked bar


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def pct(part, whole, lang: str | None = None) -> str:
    """`part` out of `whole` as a whole percentage, for reading. The one rule of the dashboard:

    - "–" when there is no share: `whole` is 0 or missing (e.g. nothing assessed yet);
    - "<1%" when `part` is above 0 but the share would round to 0%, and ">99%" when `part` is
      below `whole` but the share would round to 100%: "0%" means none, "100%" means all;
    - otherwise the share rounded half up to a whole percent ("33%", 0.5% -> "1%").

    Written in the session's language (or `lang`) by ogp.model.i18n: "33 %" in French.
    """
    if _missing(whole) or not whole or _missing(part):
        return "–"
    share = 100 * part / whole
    rounded = math.floor(share + 0.5)  # half up: 0.5% is 1%, 2.5% is 3% (format() rounds half to even)
    if share > 0 and rounded == 0:
        return "<" + i18n.percent(1, 100, lang)
    if share < 100 and rounded == 100:
        return ">" + i18n.percent(99, 100, lang)
    return i18n.percent(rounded, 100, lang)


def plural(n: int, noun: str, many: str | None = None) -> str:
    """`1 commitment`, `2,345 commitments`; `many` for irregular plurals (`1 policy`, `2 policies`)."""
    return f"{n:,} {noun if n == 1 else (many or noun + 's')}"


def kind_label(kind: str | None) -> str:
    """`national` -> `National`, `local` -> `Local` (anything else reads as national, as stored),
    in the reader's language."""
    return _(KINDS.get(str(kind or "").casefold(), KINDS["national"]))


# A member's OGP status as data/members.csv writes it -> shown (member page, brief) through _().
STATUS = {
    "active": N_("active"),
    "inactive": N_("inactive"),
    "suspended": N_("suspended"),
    "withdrawn": N_("withdrawn"),
}


def member_status(value: object) -> str:
    """`active` in the reader's language; an unknown status as written."""
    return _(STATUS[value]) if value in STATUS else (str(value) if value else "")


def member_kind(kind: str | None) -> str:
    """`Local member` / `National member`."""
    local = str(kind or "").casefold() == "local"
    return _("Local member") if local else _("National member")


def not_assessed(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of `frame` with the missing values of these rating columns (those present) read
    "Not assessed", for tables people read (a Streamlit table would show them as "None")."""
    cols = [c for c in columns if c in frame]
    if not cols:
        return frame
    shown = _(NOT_ASSESSED)
    return frame.assign(**{c: frame[c].astype("object").where(frame[c].notna(), shown) for c in cols})


def escape_md(value: object) -> str:
    """Data text for Markdown (pages, the digest): HTML-escaped, every Markdown character
    backslash-escaped, so a title never becomes markup or a link."""
    s = html.escape(str(value), quote=False)
    for ch in "\\`*_{}[]()#+-.!|~<>$":
        s = s.replace(ch, "\\" + ch)
    return s


_LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+\s*")  # str.splitlines() breaks


def one_line(value: object) -> str:
    """Line breaks become one space; other spacing (`two  spaces.csv`) is kept, so a file is
    named exactly (the importer's warnings and report)."""
    return _LINE_BREAKS.sub(" ", str(value)).strip()
