"""An independent recomputation of the dashboard's figures from the raw CSV exports, in pandas.

It shares no code with the importer or the store: it reads the two raw files itself, strips
the legacy letter prefixes itself, and matches commitments across the exports with its own rule
(written separately from ogp/data/matching.py, on purpose with other word stems and thresholds):

- by identifier where both rows have one (the legacy table has none, so none here);
- else within one member and action plan, a legacy row and a current row are the same
  commitment when their numbers agree (the legacy `Comm No` or the number its title starts
  with, equal to the current number as a decimal) and most of the shorter title's words are in
  the other, or when their titles share nearly all their words; one partner each, best first;
- a current commitment numbered n whose plan has, in the legacy table, two or more rows
  numbered n.1, n.2, ... with its title's head (before ':') is a group of them; those legacy
  rows are not counted in the latest state, and the group is not a pair.

The latest state is every current row plus the legacy rows with no partner and in no group.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
CURRENT_CSV = RAW / "g0v_ogp-commitments" / "open_parliament_0703.csv"
LEGACY_CSV = RAW / "Vizzuality_ogp" / "explorer" / "data" / "latest_data" / "ogpirm_live_data.csv"
THEMES = ROOT / "data" / "themes.toml"
MISSING = {"", "ND", "NR", "NA", "N/A", "#N/A", "n/a"}
ORDERED = ["Not Started", "Limited", "Substantial", "Complete"]
HIGH = {"Substantial", "Complete"}
# legacy country name -> current export's name (the five that differ)
RENAMED = {
    "UK": "United Kingdom",
    "USA": "United States",
    "Macedonia": "North Macedonia",
    "South Korea": "Republic of Korea",
    "Slovakia": "Slovak Republic",
}
AGREE_CONTAINMENT = 0.6  # numbers agree: share of the shorter title's words in the other
TITLE_JACCARD = 0.75  # numbers disagree: shared words over all words


def _level(s: pd.Series) -> pd.Series:
    s = s.fillna("").str.strip().str.replace(r"^[a-dA-D]\.\s+", "", regex=True)
    s = s.str.replace(r"(?i)^not started$", "Not Started", regex=True)
    return s.where(~s.isin(MISSING))


# The IRM's star criteria (its published rule, not its columns): verifiable, relevant to an OGP
# value, Transformative potential impact, Substantial or Complete completion, judged on the
# report (end of term, else progress report) whose star formula the IRM applied.
STAR_FORMULA = {  # (end of term, progress report) columns of the "current formula"
    "current": ("Starred (Current Formula) End of Term", "Starred (Current Formula) Progress Report"),
    "legacy": ("Starred (current formula) end of term", "Starred (current formula) progress report"),
}


def _stars(raw: pd.DataFrame, schema: str, end: pd.Series, mid: pd.Series, verifiable, relevant, impact):
    """Per row: which report the star formula was applied at ('end', 'progress' or None: the
    formula holds neither 0 nor 1 at either), the formula's own value there, and whether the
    row meets the star criteria with that report's completion."""
    f_end, f_mid = (raw[c].str.strip() for c in STAR_FORMULA[schema])
    applied = pd.Series(None, index=raw.index, dtype=object)
    applied[f_mid.isin(["0", "1"])] = "progress"
    applied[f_end.isin(["0", "1"])] = "end"
    completion = end.where(applied == "end", mid.where(applied == "progress"))
    meets = verifiable & relevant & impact.eq("Transformative") & completion.isin(HIGH)
    formula = f_end.where(applied == "end", f_mid.where(applied == "progress"))
    return applied, formula.eq("1").where(applied.notna()), meets.where(applied.notna())


@cache
def current() -> pd.DataFrame:
    raw = pd.read_csv(CURRENT_CSV, dtype=str, keep_default_na=False)
    end, mid = _level(raw["Completion (End Of Term)"]), _level(raw["Completion (Progress Report)"])
    impact = _level(raw["Potential Impact"])
    verifiable = raw["Verifiable"].str.strip().isin(["Yes", "1"])
    relevant = raw["_Relevant"].str.strip().eq("1")
    applied, formula, meets = _stars(raw, "current", end, mid, verifiable, relevant, impact)
    return pd.DataFrame(
        {
            "source": "current",
            "row": range(len(raw)),
            "ogp_id": raw["Commitment Unique Identifier"],
            "code": raw["Code"],
            "plan": raw["Action Plan Number"].astype(int),
            "number": raw["Commitment Number"],
            "title": raw["Commitment Title"],
            "completion": end.fillna(mid),
            "completion_end": end,
            "star_applied": applied,
            "star_formula": formula,
            "starred": meets,
            "verifiable": verifiable,
            "relevant": relevant,
            "potential_impact": impact,
            "potential_for_results": _level(raw["Potential for Results"]),
            "diog": _level(raw["Did It Open Government (Overall)"]),
            "early_results": _level(raw["Early Results"]),
            "completion_midterm": mid,
        }
    )


@cache
def current_raw() -> pd.DataFrame:
    return pd.read_csv(CURRENT_CSV, dtype=str, keep_default_na=False)


@cache
def legacy_raw() -> pd.DataFrame:
    return pd.read_csv(LEGACY_CSV, dtype=str, keep_default_na=False, header=1)


@cache
def legacy() -> pd.DataFrame:
    raw = legacy_raw()
    cur = current_raw()
    code_of = dict(zip(cur["Country/Locality"], cur["Code"]))
    names = raw["Country"].map(lambda n: RENAMED.get(n, n))
    end, mid = _level(raw["Completion (end of term)"]), _level(raw["Completion (progress report)"])
    impact = _level(raw["Potential impact"])
    # The legacy table has no Verifiable column: its star formula asks for Medium or High
    # specificity ("specific enough to judge its impact")
    verifiable = _level(raw["Specificity"]).str.lower().isin(["medium", "high"])
    relevant = raw["_Relevant"].str.strip().eq("1")
    applied, formula, meets = _stars(raw, "legacy", end, mid, verifiable, relevant, impact)
    # "b. None" is Did Not Change; "No early results to report yet" is not a rating
    diog = _level(raw["Did it open government (end of term only)"]).replace({"None": "Did Not Change"})
    return pd.DataFrame(
        {
            "source": "legacy",
            "row": range(len(raw)),
            "ogp_id": None,
            "code": names.map(lambda n: code_of.get(n, n)),
            "plan": raw["Action Plan Number"].astype(int),
            "number": raw["Comm No"],
            "title": raw["Commitment Title"],
            "completion": end.fillna(mid),
            "completion_end": end,
            "star_applied": applied,
            "star_formula": formula,
            "starred": meets,
            "verifiable": verifiable,
            "relevant": relevant,
            "potential_impact": impact.where(impact != "Unclear"),
            "potential_for_results": None,
            "diog": diog,
            "early_results": None,
            "completion_midterm": mid,
        }
    )


# ----------------------------------------------------------------------------- own matching


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()


_LEADING = re.compile(r"^\W*(?:(?:commitment|action|measure)\s*(?:n\W?\s*)?)?(\d+(?:\.\d+)*)(?:[a-z]\))?\W*")


def lead_number(title: str) -> str | None:
    m = _LEADING.match(_fold(title))
    return m.group(1) if m else None


def title_words(title: str) -> set[str]:
    body = _LEADING.sub("", _fold(title), count=1)
    return {w[:4] for w in re.findall(r"[a-z0-9]+", body) if len(w) >= 3}


def _as_number(n: str | None) -> str | None:
    if not n or not n.strip():
        return None
    n = n.strip().lower().rstrip(".")
    try:
        return repr(round(float(n), 6))  # 2.1, 2.10 and 2.1000000000000001 are one number
    except ValueError:
        return n


def _agree(legacy_row, current_row) -> bool:
    mine = {_as_number(legacy_row.number), _as_number(lead_number(legacy_row.title))} - {None}
    return _as_number(current_row.number) in mine


@cache
def matched() -> tuple[pd.DataFrame, frozenset]:
    """(pairs: legacy row, current row, how; legacy rows that are parts of a current group)."""
    cur, leg = current(), legacy()
    parts: set[int] = set()
    pairs = []
    for (code, plan), lrows in leg.groupby(["code", "plan"]):
        crows = cur[(cur.code == code) & (cur.plan == plan)]
        if crows.empty:
            continue
        lnums = lrows.number.str.strip()
        taken_l = set()
        for c in crows.itertuples():
            n = c.number.strip()
            subs = lrows[lnums.str.startswith(n + ".") & ~lnums.eq(n)]
            if n and not lnums.eq(n).any() and len(subs) >= 2:
                head = title_words(c.title.split(":")[0])
                grouped = [r.row for r in subs.itertuples() if head <= title_words(r.title.split(":")[0])]
                if len(grouped) >= 2:
                    parts.update(grouped)
                    taken_l.update(grouped)
                    crows = crows[crows.row != c.row]
        cands = []
        for c in crows.itertuples():
            cw = title_words(c.title)
            for r in lrows.itertuples():
                if r.row in taken_l:
                    continue
                lw = title_words(r.title)
                if not cw or not lw:
                    continue
                shared = len(cw & lw)
                if _agree(r, c) and shared / min(len(cw), len(lw)) >= AGREE_CONTAINMENT:
                    cands.append((0, -shared / min(len(cw), len(lw)), r.row, c.row, "number"))
                elif shared / len(cw | lw) >= TITLE_JACCARD:
                    cands.append((1, -shared / len(cw | lw), r.row, c.row, "title"))
        used_l, used_c = set(), set()
        for _, _, lr, cr, how in sorted(cands):
            if lr in used_l or cr in used_c:
                continue
            used_l.add(lr)
            used_c.add(cr)
            pairs.append((lr, cr, how))
    return pd.DataFrame(pairs, columns=["legacy_row", "current_row", "how"]), frozenset(parts)


def latest() -> pd.DataFrame:
    """The latest state: every current row, plus legacy rows with no partner and in no group."""
    pairs, parts = matched()
    leg = legacy()
    keep = ~leg.row.isin(set(pairs.legacy_row) | parts)
    return pd.concat([current(), leg[keep]], ignore_index=True)


def transitions() -> dict[tuple[str, str], int]:
    """(legacy level, current level) -> pairs, '-' for not assessed."""
    pairs, _ = matched()
    a = legacy().set_index("row").loc[pairs.legacy_row, "completion"].fillna("-").to_numpy()
    b = current().set_index("row").loc[pairs.current_row, "completion"].fillna("-").to_numpy()
    return pd.Series(list(zip(a, b))).value_counts().to_dict()


def movers() -> set[str]:
    """OGP ids of the current commitments whose completion changed between two ratings."""
    pairs, _ = matched()
    a = legacy().set_index("row").loc[pairs.legacy_row, "completion"].to_numpy()
    cur = current().set_index("row").loc[pairs.current_row]
    b = cur["completion"].to_numpy()
    return {i for i, x, y in zip(cur.ogp_id, a, b) if pd.notna(x) and pd.notna(y) and x != y}


IMPACT = ["None", "Minor", "Moderate", "Transformative"]
RESULTS = ["Unclear", "Modest", "Substantial"]
DIOG = ["Worsens", "Did Not Change", "Marginal", "Major", "Outstanding"]
EARLY = ["No notable results", "Moderate", "Significant"]


def figures(frame: pd.DataFrame) -> dict[str, int]:
    """Each figure by the IRM's definition of its measure, from the ratings (the stars from the
    star criteria where the IRM applied its formula, not from the formula's value)."""
    impact, results = frame.potential_impact.isin(IMPACT), frame.potential_for_results.isin(RESULTS)
    transformative = frame.potential_impact.eq("Transformative")
    substantial = frame.potential_for_results.eq("Substantial")
    return {
        "commitments": len(frame),
        "members": frame.code.nunique(),
        "action_plans": len(frame[["code", "plan"]].drop_duplicates()),
        "completion_assessed": int(frame.completion.isin(ORDERED).sum()),
        "high_completion": int(frame.completion.isin(HIGH).sum()),
        "star_assessed": int(frame.star_applied.notna().sum()),
        "starred": int(frame.starred.eq(True).sum()),
        "impact_assessed": int(impact.sum()),
        "transformative": int(transformative.sum()),
        "results_assessed": int(results.sum()),
        "substantial_results": int(substantial.sum()),
        "ambition_assessed": int((impact | results).sum()),
        "ambitious": int((transformative | substantial).sum()),
        "diog_assessed": int(frame.diog.isin(DIOG).sum()),
        "strong_results": int(frame.diog.isin(["Major", "Outstanding"]).sum()),
        "early_results_assessed": int(frame.early_results.isin(EARLY).sum()),
        "notable_early_results": int(frame.early_results.isin(["Moderate", "Significant"]).sum()),
    }


def theme_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Latest commitments per theme: a current row counts where one of the theme's policy-area
    columns is 1, a legacy row where one of its tag columns is 1."""
    themes = tomllib.loads(THEMES.read_text(encoding="utf-8"))["theme"]
    return {t["slug"]: int(in_theme(frame, t["slug"]).sum()) for t in themes}


def in_theme(frame: pd.DataFrame, slug: str) -> pd.Series:
    """Which rows of `frame` are in the theme `slug` (as theme_counts counts them)."""
    theme = next(t for t in tomllib.loads(THEMES.read_text(encoding="utf-8"))["theme"] if t["slug"] == slug)
    out = pd.Series(False, index=frame.index)
    for source, raw, cols in (
        ("current", current_raw(), theme["policy_areas"]),
        ("legacy", legacy_raw(), theme["tags"]),
    ):
        part = frame[frame.source == source]
        present = [c for c in cols if c in raw.columns]
        if present and len(part):
            hit = (raw.iloc[part["row"].to_numpy()][present] == "1").any(axis=1).to_numpy()
            out.loc[part.index] = hit
    return out


# Which completion rating a figure reads (the dashboard's "Completion rating", written here
# again from the IRM's two columns): the latest (end of term, else mid-term), end, mid-term.
def rated_completion(frame: pd.DataFrame, rating: str | None) -> pd.Series:
    if rating == "end":
        return frame["completion_end"]
    if rating == "midterm":
        return frame["completion_midterm"]
    return frame["completion_end"].fillna(frame["completion_midterm"])


# ----------------------------------------------------------------------------- Monitor, digest
# Both bundled exports are extracts (their manifests' scope): a commitment only one of them
# holds is neither added nor dropped, and no plan can be called late. What Monitor and the
# digest count is recomputed here from the raw files and the matching above.
SNAPSHOT_DATES = {"legacy": pd.Timestamp("2017-03-30"), "current": pd.Timestamp("2024-07-06")}
COMPLETE: tuple[str, ...] = ()  # data/raw/SOURCES.md: neither bundled file is a complete export


def _number(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.where(~s.isin(MISSING)), errors="coerce")


@cache
def monitor_ratings() -> dict[str, pd.DataFrame]:
    """Per export, by file row: the five ratings Monitor compares, and the plan's end year."""
    cur, leg = current_raw(), legacy_raw()
    cdiog = _level(cur["Did It Open Government (Overall)"])
    ldiog = _level(leg["Did it open government (end of term only)"]).replace({"None": "Did Not Change"})
    c_end = _number(cur["Action Plan End Year"]).fillna(_number(cur["Year Of Submission"]) + 2)
    l_end = _number(leg["Year of submission"]) + 2
    c, lg = current(), legacy()
    out = {
        "current": pd.DataFrame(
            {
                "completion": c.completion,
                "potential_impact": c.potential_impact,
                "diog": cdiog.where(cdiog != "No early results to report yet"),
                "starred": c.starred,
                "early_results": _level(cur["Early Results"]),
                "ap_end_year": c_end,
                "code": c.code,
                "plan": c.plan,
            }
        ),
        "legacy": pd.DataFrame(
            {
                "completion": lg.completion,
                "potential_impact": lg.potential_impact,
                "diog": ldiog,
                "starred": lg.starred,
                "early_results": None,
                "ap_end_year": l_end,
                "code": lg.code,
                "plan": lg.plan,
            }
        ),
    }
    for frame in out.values():  # a plan ends with its last row's end year (the plan record's)
        frame["plan_end"] = frame.groupby(["code", "plan"])["ap_end_year"].transform("max")
    return out


def monitor_figures() -> dict[str, int]:
    """Monitor's and the digest's headline counts for the latest state, both exports being extracts."""
    pairs, parts = matched()
    r = monitor_ratings()
    cols = ["completion", "potential_impact", "diog", "starred", "early_results"]
    a = r["legacy"].loc[pairs.legacy_row, cols].reset_index(drop=True).astype(object)
    b = r["current"].loc[pairs.current_row, cols].reset_index(drop=True).astype(object)
    differ = ~((a == b) | (a.isna() & b.isna()))
    leg = legacy()
    heads = {
        (c, p, str(n).split(".")[0])
        for c, p, n in leg.loc[sorted(parts), ["code", "plan", "number"]].itertuples(index=False)
    }
    # awaiting and at risk: each latest row as of its own export's date
    rows = []
    for source, frame in (("current", r["current"]), ("legacy", r["legacy"])):
        mine = latest()[latest().source == source]
        f = frame.loc[mine.row.to_numpy()].copy()
        f["as_of"] = SNAPSHOT_DATES[source]
        rows.append(f)
    rows = pd.concat(rows, ignore_index=True)
    ended = pd.to_datetime(rows.plan_end.astype("Int64").astype(str) + "-12-31", errors="coerce")
    awaited = rows.completion.isna() & (ended + pd.DateOffset(years=1) <= rows.as_of)
    at_risk = (rows.ap_end_year >= rows.as_of.dt.year) & rows.completion.isin(["Not Started", "Limited"])
    themes = tomllib.loads(THEMES.read_text(encoding="utf-8"))["theme"]
    no_theme = 0
    for source, raw, field in (("current", current_raw(), "policy_areas"), ("legacy", legacy_raw(), "tags")):
        cols_ = sorted({c for t in themes for c in t[field] if c in raw.columns})
        mine = latest().loc[latest().source == source, "row"].to_numpy()
        no_theme += int((~(raw.iloc[mine][cols_] == "1").any(axis=1)).sum())
    outside_later = len(leg) - len(pairs) - len(parts)  # legacy rows the 2024 file lacks
    outside_earlier = len(current()) - len(pairs) - len(heads)  # 2024 rows the 2017 table lacks
    # Late: a plan is judged only in a complete export, and neither file is one (SOURCES.md).
    assert not COMPLETE, "recompute the late list here before marking an export complete"
    late = 0
    return {
        "late": late,
        "awaiting": int(
            rows[awaited].groupby(["code", "plan", "as_of"]).ngroups
        ),  # a line per plan and snapshot
        "awaiting_commitments": int(awaited.sum()),
        "at_risk": int(at_risk.sum()),
        "added": 0 if "legacy" not in COMPLETE else outside_earlier,
        "dropped": 0 if "current" not in COMPLETE else outside_later,
        "regrouped": len(parts) + len(heads),
        "changed": int(differ.any(axis=1).sum()),
        "rating_changes": int(differ.to_numpy().sum()),
        "gaps": no_theme,
        "outside_later": 0 if "current" in COMPLETE else outside_later,
        "outside_earlier": 0 if "legacy" in COMPLETE else outside_earlier,
    }


# ----------------------------------------------------------------------------- search

SEARCHED = ["Commitment Title", "Full Text", "Lead Institution", "Supporting Institution(s)"]


def _words(text: str) -> list[str]:
    """A text's words, accents and case folded: runs of letters and digits."""
    folded = "".join(ch for ch in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(ch))
    return re.findall(r"[^\W_]+", folded)


def search_hits(frame: pd.DataFrame, q: str) -> pd.DataFrame:
    """The rows of `frame` (as latest() gives them) whose title, full text, lead or supporting
    institutions hold the words of `q` as whole words, in order and next to each other, in one
    field (case and accents folded)."""
    wanted = _words(q)
    n = len(wanted)

    def holds(fields) -> bool:
        for field in fields:
            # The exports write a line break as `<br/>`: it is no word.
            w = _words("" if field.strip() in MISSING else re.sub(r"<br\s*/?>", " ", field, flags=re.I))
            if any(w[i : i + n] == wanted for i in range(len(w) - n + 1)):
                return True
        return False

    keep = []
    for source, raw in (("current", current_raw()), ("legacy", legacy_raw())):
        part = frame[frame.source == source]
        texts = raw.iloc[part.row.to_numpy()][SEARCHED].itertuples(index=False)
        keep.extend(i for i, t in zip(part.index, texts) if holds(t))
    return frame.loc[keep]
