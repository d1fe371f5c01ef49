"""An independent recomputation of the dashboard's figures from the raw CSV exports, in pandas.

It shares no code with the importer or the store: it reads the two raw files itself, strips
the legacy letter prefixes itself, and matches commitments across the exports with its own rule
(written separately from ogp/matching.py, on purpose with other word stems and thresholds):

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


@cache
def current() -> pd.DataFrame:
    raw = pd.read_csv(CURRENT_CSV, dtype=str, keep_default_na=False)
    end, mid = _level(raw["Completion (End Of Term)"]), _level(raw["Completion (Progress Report)"])
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
            "starred": raw["Star - Most Recently Assessed"].eq("1"),
            "potential_impact": _level(raw["Potential Impact"]),
            "potential_for_results": _level(raw["Potential for Results"]),
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
    star_end = raw["Starred (current formula) end of term"]
    starred = star_end.eq("1") | (
        ~star_end.isin(["0", "1"]) & raw["Starred (current formula) progress report"].eq("1")
    )
    impact = _level(raw["Potential impact"])
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
            "starred": starred,
            "potential_impact": impact.where(impact != "Unclear"),
            "potential_for_results": None,
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


def figures(frame: pd.DataFrame) -> dict[str, int]:
    return {
        "commitments": len(frame),
        "members": frame.code.nunique(),
        "action_plans": len(frame[["code", "plan"]].drop_duplicates()),
        "completion_assessed": int(frame.completion.isin(ORDERED).sum()),
        "high_completion": int(frame.completion.isin(HIGH).sum()),
        "starred": int(frame.starred.sum()),
    }


def theme_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Latest commitments per theme: a current row counts where one of the theme's policy-area
    columns is 1, a legacy row where one of its tag columns is 1."""
    themes = tomllib.loads(THEMES.read_text(encoding="utf-8"))["theme"]
    cur, leg = current_raw(), legacy_raw()
    out = {}
    for t in themes:
        n = 0
        for source, raw, cols in (("current", cur, t["policy_areas"]), ("legacy", leg, t["tags"])):
            rows = frame.loc[frame.source == source, "row"].to_numpy()
            present = [c for c in cols if c in raw.columns]
            if present:
                n += int((raw.iloc[rows][present] == "1").any(axis=1).sum())
        out[t["slug"]] = n
    return out


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
