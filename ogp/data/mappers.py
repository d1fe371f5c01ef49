"""Rows of a raw OGP export -> the snapshot's canonical rows: each layout's columns mapped to
the schema's (`map_current`, `map_legacy`, `map_process`), IRM levels normalised to their scales,
commitment numbers repaired, members named by ISO code (`Members`), keys assigned, and every
recoverable oddity noted (`Notes`) for the import report. Pure functions of the table read by
`ogp.data.formats`; `ogp.data.ingest` builds and publishes the snapshot from what they return.
"""

from __future__ import annotations

import csv
import json
import os
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from ogp.data.formats import Layout, Table
from ogp.model import measures, paths
from ogp.model.scales import SCALES, UNORDERED
from ogp.model.text import one_line as _one_line

MISSING = {"", "ND", "NR", "NA", "N/A", "#N/A", "n/a"}
MEMBERS_CSV = "members.csv"


class ImportFailed(Exception):
    """One-line reason, naming the file (or folder) concerned."""

    def __init__(self, where: str | os.PathLike, message: str):
        super().__init__(f"{where}: {message}")


# ----------------------------------------------------------------------------- value helpers


def clean(raw: str | None) -> str | None:
    """Export text -> str or None: missing markers become None; `<br/>` becomes a line break."""
    if raw is None:
        return None
    s = raw.strip()
    if s in MISSING:
        return None
    if "<br" in s:
        s = re.sub(r"\s*<br\s*/?>\s*", "\n", s, flags=re.I).strip()
    return s or None


_PREFIX = re.compile(r"^[a-z]\.\s+", re.I)
_LEVELS = {
    scale: {lvl.casefold(): lvl for lvl in SCALES[scale] + UNORDERED.get(scale, ())} for scale in SCALES
}
_SPECIAL = {
    ("diog", "none"): "Did Not Change",  # legacy `b. None`
    ("diog", "no early results to report yet"): None,
}


def to_level(raw: str | None, scale: str) -> tuple[str | None, bool]:
    """(canonical level or None, recognised?) — `b. Limited` -> `Limited`; ND/NR/NA -> None."""
    s = clean(raw)
    if s is None:
        return None, True
    s = _PREFIX.sub("", s).strip()
    key = " ".join(s.split()).casefold()
    if (scale, key) in _SPECIAL:
        return _SPECIAL[(scale, key)], True
    level = _LEVELS[scale].get(key)
    return level, level is not None


def to_flag(raw: str | None) -> bool | None:
    s = clean(raw)
    if s is None:
        return None
    key = s.casefold()
    if key in ("1", "1.0", "yes", "y", "true"):
        return True
    if key in ("0", "0.0", "no", "n", "false"):
        return False
    return None


def star(row: dict, mapping: str) -> bool | None:
    """The IRM's star (ogp/model/measures.py STAR_COLUMNS): the formula of the most recent report that
    holds 0 or 1; None where no star formula was applied (ND, NR, NA, empty or no column)."""
    for column in measures.STAR_COLUMNS[mapping]:
        flag = to_flag(row.get(column))
        if flag is not None:
            return flag
    return None


def to_int(raw: str | None) -> int | None:
    """Integer or None (missing); ValueError for text that is not a whole number."""
    s = clean(raw)
    if s is None:
        return None
    m = re.fullmatch(
        r"([+-]?)0*(\d{1,18})(\.0+)?", s
    )  # 19+ digits: no year or plan number (float() overflowed)
    if m:
        return int(m.group(1) + m.group(2))
    raise ValueError(s)


_FLOAT_ARTEFACT = re.compile(r"^\d+\.\d*(0000\d|9999\d)\d*$")


def commitment_number(raw: str | None) -> tuple[str | None, str | None]:
    """(number, original if a float artefact was normalised) — `4.0999999999999996` -> `4.1`."""
    s = clean(raw)
    if s is None:
        return None, None
    s = " ".join(s.split())
    if _FLOAT_ARTEFACT.match(s):
        fixed = repr(round(float(s), 6))
        return fixed, s
    return s, None


_TITLE_NUMBER = re.compile(r"^(\d+(?:\.\d+)+)[.: ]")


_TITLE_PREFIX = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)\s*[.:)]?\s+\S")


def title_number(title: str | None) -> str | None:
    """The commitment number at the start of a title: `1. Open data portal` -> `1`,
    `5:  Publication of ...` -> `5`, `2.10 Proyecto ...` -> `2.10`; None without one."""
    m = _TITLE_PREFIX.match(title or "")
    return m.group(1) if m else None


def repaired_number(number: str | None, title: str | None) -> str | None:
    """`1.1` whose title starts `1.10 ` was damaged by a spreadsheet: return `1.10`, else None."""
    if not number or not title or not re.fullmatch(r"\d+(\.\d+)+", number):
        return None
    m = _TITLE_NUMBER.match(title.strip())
    if m and m.group(1) != number and re.fullmatch(re.escape(number) + "0+", m.group(1)):
        return m.group(1)
    return None


# ----------------------------------------------------------------------------- members


def fold(name: str) -> str:
    """Name matching: case, accents, punctuation (`’` too) and a leading `the` do not matter."""
    s = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    s = re.sub(r"[^a-z0-9]+", " ", s.casefold()).strip()
    return re.sub(r"^the ", "", s)


@dataclass
class Members:
    rows: dict[str, dict]  # member_code -> members.csv row
    by_name: dict[str, str]  # folded name or alias -> member_code
    path: Path

    @classmethod
    def load(cls, base: Path) -> Members:
        path = base / MEMBERS_CSV
        if not path.is_file():
            path = paths.BUNDLED_DATA_DIR / MEMBERS_CSV
        try:
            with open(path, encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
        except OSError as exc:
            raise ImportFailed(path, f"cannot read the members table ({exc.strerror})") from None
        by_code: dict[str, dict[str, str]] = {}
        by_name: dict[str, str] = {}
        for r in rows:
            code = (r.get("member_code") or "").strip()
            if not code:
                continue
            by_code[code] = r
            for name in [r.get("member_name") or "", code] + (r.get("aliases") or "").split(";"):
                if name.strip():
                    by_name.setdefault(fold(name), code)
        return cls(by_code, by_name, path)

    def code_for(self, name: str) -> str | None:
        return self.by_name.get(fold(name))


def natural_earth_lookup(base: Path, name: str) -> tuple[str, str] | None:
    """(ISO3, Natural Earth name) for a country name, from a Natural Earth admin-0 GeoJSON in
    DIR/geo or data/geo, if one is there; None otherwise."""
    for geo in (base / "geo", paths.BUNDLED_DATA_DIR / "geo"):
        if not geo.is_dir():
            continue
        for f in sorted(geo.glob("*admin_0*.geojson")):
            try:
                features = json.loads(f.read_text(encoding="utf-8")).get("features", [])
            except (OSError, ValueError):
                continue
            want = fold(name)
            for feat in features:
                p = feat.get("properties") or {}
                names = [
                    p.get(k) for k in ("NAME", "NAME_LONG", "ADMIN", "FORMAL_EN", "NAME_EN", "SOVEREIGNT")
                ]
                if any(n and fold(str(n)) == want for n in names):
                    iso = p.get("ISO_A3_EH") or p.get("ADM0_A3")
                    if iso and iso != "-99":
                        return iso, p.get("NAME") or name
    return None


# ----------------------------------------------------------------------------- mapping


class Notes:
    """Warnings, aggregated so that 80 similar oddities make one line, and the facts of the import
    report per file (`facts[file]`: dropped rows, repaired keys, values not understood, members
    not recognised)."""

    def __init__(self):
        self.lines: list[str] = []
        self.unknown_levels: dict[tuple[str, str, str], int] = Counter()
        self.facts: dict[str, dict] = defaultdict(
            lambda: {
                "dropped": {},
                "keys_repaired": [],
                "values_not_understood": {},
                "members_not_recognised": [],
            }
        )

    def add(self, file: str, text: str):
        self.lines.append(f"{file}: {_one_line(text)}")  # values quoted in a warning may hold line breaks

    def repaired(self, file: str, how: str, examples: list[str]):
        self.facts[file]["keys_repaired"].append(
            {"how": how, "rows": len(examples), "examples": [_one_line(e) for e in sorted(set(examples))[:5]]}
        )

    def flush(self, file: str):
        odd = self.facts[file]["values_not_understood"]
        for (column, value, scale), n in sorted(self.unknown_levels.items()):
            self.add(
                file, f"{n} row(s) with {column} '{value}', not a level of scale {scale}: stored as null"
            )
            entry = odd.setdefault(column, {"scale": scale, "rows": 0, "examples": []})
            entry["rows"] += n
            if len(entry["examples"]) < 5:
                entry["examples"].append(_one_line(value)[:80])
        self.unknown_levels.clear()


def _level(row: dict, column: str, scale: str, notes: Notes) -> str | None:
    raw = row.get(column)
    level, ok = to_level(raw, scale)
    if not ok and raw is not None:  # only a value that is there can be unrecognised
        notes.unknown_levels[(column, raw.strip(), scale)] += 1
    return level


def _ratings(row: dict, layout: Layout, notes: Notes) -> dict[str, str | None]:
    """Every rating of the layout (data/layouts.toml `ratings`): snapshot field -> level or None."""
    return {f: _level(row, column, scale, notes) for f, (column, scale) in layout.ratings.items()}


def _year(row: dict, column: str, file: str, n: int) -> int | None:
    try:
        y = to_int(row.get(column))
    except ValueError as exc:
        raise ImportFailed(file, f"data row {n}: {column} '{exc}' is not a year") from None
    if y is not None and not 1990 <= y <= 2100:
        raise ImportFailed(file, f"data row {n}: {column} '{y}' is not a plausible year")
    return y


def _plan_number(row: dict, column: str, file: str, n: int) -> int:
    try:
        ap = to_int(row.get(column))
    except ValueError as exc:
        raise ImportFailed(file, f"data row {n}: {column} '{exc}' is not a whole number") from None
    if ap is None or not 0 < ap < 100:
        raise ImportFailed(file, f"data row {n}: {column} is missing or out of range")
    return ap


def _values(row: dict, pairs: tuple[tuple[str, str], ...]) -> list[str]:
    return [name for column, name in pairs if to_flag(row.get(column))]


CURRENT_VALUES = (
    ("OGP Value Access To Information", "Access to Information"),
    ("OGP Value Civic Participation", "Civic Participation"),
    ("OGP Value Public Accountability", "Public Accountability"),
    ("OGP Value Technology", "Technology and Innovation"),
)
LEGACY_VALUES = (
    ("Value -Info", "Access to Information"),
    ("Value -Part", "Civic Participation"),
    ("Value -Acc", "Public Accountability"),
    ("Value -Tech", "Technology and Innovation"),
)


def _relevant(row: dict) -> bool | None:
    s = clean(row.get("_Relevant"))
    if s is None:
        return None
    try:
        return float(s) > 0
    except ValueError:
        return None


def map_current(table: Table, members: Members, notes: Notes) -> tuple[list[dict], dict]:
    file, where = table.path.name, str(table.path)
    out: list[dict] = []
    member_facts: dict[str, dict[str, Counter]] = {}
    by_id: dict[str, tuple[int, tuple]] = {}
    dropped_dupes, artefacts = [], []
    for n, row in table.rows:
        ogp_id = clean(row.get("Commitment Unique Identifier"))
        content = tuple(
            sorted((k, v.strip()) for k, v in row.items() if k != "id")
        )  # `id`: the sheet's row id
        if ogp_id:
            if ogp_id in by_id:
                first_n, first_content = by_id[ogp_id]
                if first_content != content:
                    raise ImportFailed(
                        where,
                        f"Commitment Unique Identifier {ogp_id} appears twice with "
                        f"different content (data rows {first_n} and {n})",
                    )
                dropped_dupes.append(n)
                continue
            by_id[ogp_id] = (n, content)
        code = clean(row.get("Code"))
        name = clean(row.get("Country/Locality"))
        if not code:
            raise ImportFailed(where, f"data row {n}: Code (member code) is missing")
        ap = _plan_number(row, "Action Plan Number", where, n)
        year = _year(row, "Year Of Submission", where, n)
        end_year = _year(row, "Action Plan End Year", where, n)
        number, artefact = commitment_number(row.get("Commitment Number"))
        if artefact:
            artefacts.append(f"{artefact} -> {number}")
        facts = member_facts.setdefault(code, {"names": Counter(), "region": Counter(), "nol": Counter()})
        if name:
            facts["names"][name] += 1
        if clean(row.get("Region")):
            facts["region"][clean(row.get("Region"))] += 1
        if clean(row.get("National Or Local")):
            facts["nol"][clean(row.get("National Or Local"))] += 1
        known = members.rows.get(code)
        rating = _ratings(row, table.layout, notes)
        out.append(
            {
                "ogp_id": ogp_id,
                "member_code": code,
                "member_name": (known or {}).get("member_name") or name or code,
                "action_plan": ap,
                "ap_id": clean(row.get("Action Plan ID")) or f"AP_{code}{ap:02d}",
                "commitment_no": number,
                "title": clean(row.get("Commitment Title")) or "",
                "short_title": clean(row.get("Short Title")),
                "description": clean(row.get("Full Text")),
                "plan_theme": clean(row.get("Theme")),
                "lead_institution": clean(row.get("Lead Institution")),
                "supporting_institutions": clean(row.get("Supporting Institution(s)")),
                "year_submitted": year,
                "ap_end_year": end_year,
                "start_date": clean(row.get("Start Date")),
                "end_date": clean(row.get("End Date")),
                "policy_areas": [c for c in table.layout.tags if to_flag(row.get(c))],
                "ogp_values": _values(row, CURRENT_VALUES),
                "relevant": _relevant(row),
                "verifiable": to_flag(row.get("Verifiable")),
                "specificity": rating.get("specificity"),
                "potential_impact": rating.get("potential_impact"),
                "completion_midterm": rating.get("completion_midterm"),
                "completion_end": rating.get("completion_end"),
                "potential_for_results": rating.get("potential_for_results"),
                "early_results": rating.get("early_results"),
                "diog": rating.get("diog"),
                "starred": star(row, "current"),
                "irm_assessed": bool(to_flag(row.get("IRM Assessed"))),
                "url": clean(row.get("URL")),
                "source_schema": "current",
                "source_file": file,
                "source_row": n,
            }
        )
    if dropped_dupes:
        notes.facts[file]["dropped"]["exact duplicate"] = dropped_dupes
        notes.add(
            file,
            f"dropped {len(dropped_dupes)} exact duplicate row(s) (data row "
            f"{', '.join(map(str, dropped_dupes[:5]))})",
        )
    if artefacts:
        notes.repaired(file, "commitment number written as a floating-point artefact, rounded", artefacts)
        notes.add(
            file,
            f"normalised {len(artefacts)} commitment number(s) written as floating-point "
            f"artefacts, e.g. {'; '.join(sorted(set(artefacts))[:3])}",
        )
    unknown = sorted(c for c in member_facts if c not in members.rows)
    for code in unknown:
        names = member_facts[code]["names"]
        notes.facts[file]["members_not_recognised"].append(
            {
                "in_file": names.most_common(1)[0][0] if names else code,
                "code": code,
                "resolved": "member code from the export; name and region from the export",
            }
        )
    if unknown:
        notes.add(
            file,
            f"{len(unknown)} member code(s) not in {MEMBERS_CSV} (names, regions from the export): "
            f"{', '.join(unknown)}",
        )
    notes.flush(file)
    return out, member_facts


def _legacy_code(
    name: str, members: Members, base: Path, file: str, n: int, resolved: dict[str, str], notes: Notes
) -> str:
    if name in resolved:
        return resolved[name]
    code = members.code_for(name)
    if code is None:
        found = natural_earth_lookup(base, name)
        if found is None:
            raise ImportFailed(
                file,
                f"data row {n}: country '{name}' is not in {members.path.name} "
                f"(add it, or an alias, to data/{MEMBERS_CSV})",
            )
        code = found[0]
        notes.facts[Path(file).name]["members_not_recognised"].append(
            {"in_file": name, "code": code, "resolved": f"Natural Earth '{found[1]}'"}
        )
        notes.add(
            Path(file).name,
            f"country '{name}' is not in {MEMBERS_CSV}; matched Natural Earth "
            f"'{found[1]}' -> {code} (add it to data/{MEMBERS_CSV})",
        )
    resolved[name] = code
    return code


def map_legacy(table: Table, members: Members, base: Path, notes: Notes) -> list[dict]:
    """Legacy-shaped tables (the explorer table, the 2015-style combined IRM database)."""
    file, where = table.path.name, str(table.path)
    out: list[dict] = []
    resolved: dict[str, str] = {}
    number_column = table.layout.number.get("column")
    if number_column not in table.header:
        if table.layout.number.get("else") != "title_prefix":  # pragma: no cover - a required column
            raise ImportFailed(where, f"no {number_column} column")
        number_column = None
        notes.facts[file]["numbers_from_titles"] = True
        notes.add(
            file,
            f"no {table.layout.number['column']} column: commitment numbers read from the start of titles",
        )
    repairs, no_number = [], 0
    for n, row in table.rows:
        name = clean(row.get("Country"))
        if not name:
            raise ImportFailed(where, f"data row {n}: Country is missing")
        code = _legacy_code(name, members, base, where, n, resolved, notes)
        ap = _plan_number(row, "Action Plan Number", where, n)
        year = _year(row, "Year of submission", where, n)
        title = clean(row.get("Commitment Title")) or ""
        number, _ = commitment_number(row.get(number_column) if number_column else title_number(title))
        fixed = repaired_number(number, title)
        if fixed:
            repairs.append(f"{code}-{ap} {number} -> {fixed}")
            number = fixed
        if number is None:
            no_number += 1
        rating = _ratings(row, table.layout, notes)
        specificity = rating.get("specificity")
        known = members.rows.get(code) or {}
        out.append(
            {
                "ogp_id": None,
                "member_code": code,
                "member_name": known.get("member_name") or name,
                "action_plan": ap,
                "ap_id": f"AP_{code}{ap:02d}",
                "commitment_no": number,
                "title": title,
                "short_title": clean(row.get("Short Title")),
                "description": clean(row.get("Full Text")),
                "plan_theme": clean(row.get("Theme")),
                "lead_institution": clean(row.get("Lead Institution")),
                "supporting_institutions": clean(row.get("Supporting Institution(s)")),
                "year_submitted": year,
                "ap_end_year": year + 2 if year is not None else None,
                "start_date": clean(row.get("Start Date")),
                "end_date": clean(row.get("End Date")),
                "policy_areas": [c for c in table.layout.tags if to_flag(row.get(c))],
                "ogp_values": _values(row, LEGACY_VALUES),
                "relevant": _relevant(row),
                "verifiable": None if specificity is None else specificity != "None",
                "specificity": specificity,
                "potential_impact": rating.get("potential_impact"),
                "completion_midterm": rating.get("completion_midterm"),
                "completion_end": rating.get("completion_end"),
                "potential_for_results": None,
                "early_results": None,
                "diog": rating.get("diog"),
                "starred": star(row, "legacy"),
                "irm_assessed": bool(to_flag(row.get("IRM Assessed (Y/N)?"))),
                "url": None,
                "source_schema": "legacy",
                "source_file": file,
                "source_row": n,
            }
        )
    if repairs:
        notes.repaired(
            file, "commitment number a spreadsheet had shortened (1.1 for 1.10), proven by the title", repairs
        )
        notes.add(
            file,
            f"repaired {len(repairs)} commitment number(s) a spreadsheet had shortened, proven by "
            f"the title (e.g. {'; '.join(repairs[:3])})",
        )
    if no_number:
        notes.facts[file]["rows_without_number"] = no_number
        notes.add(file, f"{no_number} row(s) without a commitment number: key uses '_'")
    notes.flush(file)
    return out


def assign_keys(rows: list[dict], file: str, notes: Notes) -> None:
    """key = <member>-<plan>-<number>; reused numbers: the first in (title, description, ogp_id,
    remaining content) order keeps the plain key, later ones get ~2, ~3."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[f"{r['member_code']}-{r['action_plan']}-{r['commitment_no'] or '_'}"].append(r)
    reused = []
    for base, members in groups.items():
        if len(members) == 1:
            members[0]["key"] = base
            continue
        members.sort(
            key=lambda r: (
                r["title"] or "",
                r["description"] or "",
                r["ogp_id"] or "",
                json.dumps(
                    {k: v for k, v in r.items() if k not in ("source_row", "key")},
                    sort_keys=True,
                    default=str,
                ),
            )
        )
        for i, r in enumerate(members, start=1):
            r["key"] = base if i == 1 else f"{base}~{i}"
        reused.append(f"{base} x{len(members)}")
    if reused:
        extra = sum(int(x.rsplit("x", 1)[1]) - 1 for x in reused)
        notes.add(
            file,
            f"{len(reused)} commitment number(s) reused within a plan: {extra} later row(s) got "
            f"keys ~2, ~3 (e.g. {', '.join(sorted(reused)[:4])})",
        )


def map_process(table: Table, members: Members, base: Path, notes: Notes) -> dict[tuple[str, int], dict]:
    file, where = table.path.name, str(table.path)
    plans: dict[tuple[str, int], dict] = {}
    resolved: dict[str, str] = {}
    for n, row in table.rows:
        name = clean(row.get("Country name"))
        if not name:
            raise ImportFailed(where, f"data row {n}: Country name is missing")
        code = _legacy_code(name, members, base, where, n, resolved, notes)
        ap = _plan_number(row, "Action Plan Number", where, n)
        try:
            steps = to_int(row.get("_Number of steps followed (out of 6)"))
        except ValueError:
            steps = None
        part = clean(row.get("Invitation-only or open participation during dev. consultation"))
        if (code, ap) in plans:
            notes.facts[file]["dropped"].setdefault("second row for a plan", []).append(n)
            notes.add(file, f"data row {n}: second row for {code} plan {ap}, ignored")
            continue
        plans[(code, ap)] = {
            "member_code": code,
            "member_name": (members.rows.get(code) or {}).get("member_name") or name,
            "action_plan": ap,
            "year_submitted": _year(row, "Year AP Submitted", where, n),
            "steps_followed": steps if steps is not None and 0 <= steps <= 6 else None,
            **_ratings(row, table.layout, notes),
            "participation_development": part if part in ("Open", "Invitation-only") else None,
            "regular_forum": to_flag(
                row.get("_Regular forum")
                or row.get("Consultation during action plan implementation (regular forum)")
            ),
            "self_assessment_published": to_flag(
                row.get("_Self assessment published") or row.get("Was annual progress report published?")
            ),
        }
    notes.flush(file)
    return plans


# ----------------------------------------------------------------------------- tables


def natural_key(text: str | None) -> tuple:
    parts = re.split(r"(\d+)", text or "")
    # isdecimal, not isdigit: `²` is a digit int() refuses; int() also refuses 4300+ digits
    return tuple((0, int(p), "") if p.isdecimal() and len(p) < 4000 else (1, 0, p) for p in parts if p)


def build_action_plans(commitments: list[dict], process: dict[tuple[str, int], dict]) -> list[dict]:
    grouped: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for c in commitments:
        grouped[(c["member_code"], c["action_plan"])].append(c)
    plans = []
    for key in sorted(set(grouped) | set(process)):
        code, ap = key
        rows = grouped.get(key, [])
        proc = process.get(key, {})
        years = [r["year_submitted"] for r in rows if r["year_submitted"] is not None]
        ends = [r["ap_end_year"] for r in rows if r["ap_end_year"] is not None]
        ap_ids = Counter(r["ap_id"] for r in rows)
        year = min(years) if years else proc.get("year_submitted")
        end = max(ends) if ends else (year + 2 if year is not None and proc else None)
        plans.append(
            {
                "member_code": code,
                "action_plan": ap,
                "ap_id": ap_ids.most_common(1)[0][0] if ap_ids else f"AP_{code}{ap:02d}",
                "year_submitted": year,
                "end_year": end,
                "n_commitments": len(rows),
                "steps_followed": proc.get("steps_followed"),
                "iap2_development": proc.get("iap2_development"),
                "iap2_implementation": proc.get("iap2_implementation"),
                "participation_development": proc.get("participation_development"),
                "regular_forum": proc.get("regular_forum"),
                "self_assessment_published": proc.get("self_assessment_published"),
            }
        )
    return plans


def _float(s: str | None) -> float | None:
    try:
        return float(s) if s not in (None, "") else None
    except ValueError:
        return None


def build_members(
    codes: set[str], members: Members, facts: dict, names: dict[str, str], file: str, notes: Notes
) -> list[dict]:
    out, mismatched = [], []
    for code in sorted(codes):
        known = members.rows.get(code)
        f = facts.get(code, {})
        export_region = f["region"].most_common(1)[0][0] if f.get("region") else None
        if known:
            region = known.get("region") or export_region
            if export_region and known.get("region") and export_region != known["region"]:
                mismatched.append(f"{code} ({export_region} in export, {known['region']} in {MEMBERS_CSV})")
            out.append(
                {
                    "member_code": code,
                    "member_name": known.get("member_name") or names.get(code) or code,
                    "kind": known.get("kind") or "national",
                    "iso3": known.get("iso3") or None,
                    "region": region,
                    "status": known.get("status") or None,
                    "lat": _float(known.get("lat")),
                    "lon": _float(known.get("lon")),
                }
            )
        else:
            nol = f["nol"].most_common(1)[0][0] if f.get("nol") else "National"
            out.append(
                {
                    "member_code": code,
                    "member_name": (f["names"].most_common(1)[0][0] if f.get("names") else names.get(code))
                    or code,
                    "kind": "local" if "local" in nol.casefold() else "national",
                    "iso3": code if len(code) == 3 else None,
                    "region": export_region,
                    "status": None,
                    "lat": None,
                    "lon": None,
                }
            )
    if mismatched:
        notes.add(file, f"region differs from {MEMBERS_CSV} for {', '.join(mismatched)}; {MEMBERS_CSV} wins")
    return out
