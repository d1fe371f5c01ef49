"""What each import brought in, for the Data page (pure: no Streamlit, no SQL): the snapshots'
manifests as a table, the coverage of each rating (queries/rating_coverage.sql) with labels,
and a file's import report (manifest `report.files[i]`, see docs/DATA.md) as text and tables."""

from __future__ import annotations

import pandas as pd

from ogp import text

# Ratings of the process database (action plans), next to text.RATING_LABELS (commitments).
PLAN_RATING_LABELS = {
    "iap2_development": "IAP2 level during development",
    "iap2_implementation": "IAP2 level during implementation",
}


def rating_label(field: str) -> str:
    return text.RATING_LABELS.get(field) or PLAN_RATING_LABELS.get(field) or field


def snapshot_table(snapshots) -> pd.DataFrame:
    """One row per snapshot (newest first): date, sources, counts, warnings, how it was made.
    `snapshots`: ogp.store.Snapshot objects (name + manifest)."""
    rows = []
    for snap in sorted(snapshots, key=lambda s: s.name, reverse=True):
        m = snap.manifest
        c = m.get("counts", {})
        layouts = {f.get("file"): f.get("layout_label") for f in (m.get("report") or {}).get("files", [])}
        sources = [
            f"{s.get('file')} ({layouts.get(s.get('file')) or s.get('kind') or 'unknown kind'})"
            for s in m.get("sources", [])
        ]
        rows.append(
            {
                "snapshot": snap.name,
                "sources": "; ".join(sources) or ("synthetic data" if m.get("synthetic") else "–"),
                "commitments": c.get("commitments"),
                "members": c.get("members"),
                "action_plans": c.get("action_plans"),
                "warnings": len(m.get("warnings", [])),
                "made": "synthetic" if m.get("synthetic") else "imported",
                "created_at": (m.get("created_at") or "")[:16].replace("T", " ") or None,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "snapshot",
            "sources",
            "commitments",
            "members",
            "action_plans",
            "warnings",
            "made",
            "created_at",
        ],
    )


def coverage_table(coverage: pd.DataFrame) -> pd.DataFrame:
    """queries/rating_coverage.sql with the rating's label, the share as a fraction (0..1) and as read."""
    out = coverage.assign(
        label=coverage["rating"].map(rating_label),
        share=[r / n if n else 0.0 for r, n in zip(coverage["rated"], coverage["commitments"])],
        coverage=[text.pct(r, n) for r, n in zip(coverage["rated"], coverage["commitments"])],
    )
    return out[["snapshot", "label", "rated", "commitments", "share", "coverage", "rating"]]


def report_tables(f: dict) -> dict[str, pd.DataFrame]:
    """The tables of one file's import report, with column names as shown: columns read under
    other names, values not understood, missing values per rating, keys repaired, members not
    recognised."""
    cols = f.get("columns", {})
    other = pd.DataFrame(
        [
            {"Header in the file": m.get("header"), "Read as": m.get("column"), "Matched by": m.get("how")}
            for m in cols.get("other_names", [])
        ],
        columns=["Header in the file", "Read as", "Matched by"],
    )
    odd = pd.DataFrame(
        [
            {
                "Column": column,
                "Scale": v.get("scale"),
                "Rows": v.get("rows"),
                "Examples": ", ".join(v.get("examples", [])),
            }
            for column, v in f.get("values_not_understood", {}).items()
        ],
        columns=["Column", "Scale", "Rows", "Examples"],
    )
    ratings = pd.DataFrame(
        [
            {
                "Rating": rating_label(fld),
                "Column in the file": r.get("column") if r.get("present") else f"{r.get('column')} (absent)",
                "Missing": r.get("missing"),
                "Of": r.get("of"),
                "Missing share": text.pct(r.get("missing"), r.get("of")),
            }
            for fld, r in f.get("ratings", {}).items()
        ],
        columns=["Rating", "Column in the file", "Missing", "Of", "Missing share"],
    )
    repaired = pd.DataFrame(
        [
            {"Repair": k.get("how"), "Rows": k.get("rows"), "Examples": ", ".join(k.get("examples", []))}
            for k in f.get("keys_repaired", [])
        ],
        columns=["Repair", "Rows", "Examples"],
    )
    members = pd.DataFrame(
        [
            {"In the file": m.get("in_file"), "Code": m.get("code"), "Resolved by": m.get("resolved")}
            for m in f.get("members_not_recognised", [])
        ],
        columns=["In the file", "Code", "Resolved by"],
    )
    return {
        "Columns read under other names": other,
        "Values not understood (stored as missing)": odd,
        "Missing values per rating": ratings,
        "Keys repaired": repaired,
        "Members not in members.csv": members,
    }


# -- the import report as text (python -m ogp import prints it; the Data page shows it) ------
def _examples(values: list[str], n: int = 2) -> str:
    return ", ".join(f"'{text.one_line(v)[:40]}'" for v in values[:n])


def report_lines(f: dict) -> list[str]:
    """A file's import report (manifest `report.files[i]`) in a few lines of plain text."""
    above = ", ".join(a["what"] for a in f.get("above_header", []))
    cols, rows = f["columns"], f["rows"]
    by = ", ".join(f"{n} {how}" for how, n in sorted(cols["by"].items(), key=lambda x: -x[1]))
    lines = [
        f"{f['file']}: {f['layout_label']} (header on line {f['header_row']}{', below: ' + above if above else ''})",
        f"columns: {cols['matched']} of the layout's {cols['of_layout']} matched ({by})"
        + (
            f"; {len(cols['optional_missing'])} expected column(s) absent" if cols["optional_missing"] else ""
        ),
    ]
    other = [f"'{m['header']}' as {m['column']}" for m in cols["other_names"] if m["how"] != "case/spacing"]
    if other:
        lines.append(
            f"other names: {', '.join(other[:4])}{f' and {len(other) - 4} more' if len(other) > 4 else ''}"
        )
    dropped = ", ".join(f"{n} {why}" for why, n in rows["dropped"].items())
    lines.append(
        f"rows: {rows['read']} read, {rows['kept']} kept" + (f", dropped {dropped}" if dropped else "")
    )
    if f.get("numbers_from_titles"):
        lines.append("commitment numbers: read from the start of the titles")
    for k in f["keys_repaired"]:
        lines.append(f"keys repaired: {k['rows']} {k['how']} (e.g. {_examples(k['examples'])})")
    odd = f["values_not_understood"]
    if odd:
        lines.append(
            "values not understood (stored as missing): "
            + "; ".join(f"{c} {v['rows']} row(s), e.g. {_examples(v['examples'])}" for c, v in odd.items())
        )
    if f["members_not_recognised"]:
        lines.append(
            "members not in members.csv: "
            + ", ".join(f"{m['in_file']} -> {m['code']}" for m in f["members_not_recognised"][:6])
        )
    ratings = f["ratings"]
    if ratings:
        total = max(r["of"] for r in ratings.values())
        lines.append(
            f"missing ratings (of {total}): "
            + ", ".join(
                f"{fld} {r['missing']}" + ("" if r["present"] else " (no column)")
                for fld, r in ratings.items()
            )
        )
    return lines


MATCH_KINDS = {
    "id": "by OGP id",
    "number": "by number",
    "title": "by title",
    "group": "in a group",
    "none": "new",
}


def matching_line(report: dict) -> str | None:
    """How the keys were matched against the snapshots already there (report `matching`), one line."""
    m = report.get("matching")
    if not m:
        return None
    if not m.get("against"):
        return "keys: no earlier snapshot to match against; every commitment gets a new key"
    counts = ", ".join(f"{n} {MATCH_KINDS.get(k, k)}" for k, n in m.get("counts", {}).items() if n)
    return f"keys matched against {', '.join(m['against'])}: {counts}"
