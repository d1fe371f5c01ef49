"""What each import brought in, for the Data page (pure: no Streamlit, no SQL): the snapshots'
manifests as a table, the coverage of each rating (queries/rating_coverage.sql) with labels,
and a file's import report (manifest `report.files[i]`, see docs/DATA.md) as text and tables."""

from __future__ import annotations

import pandas as pd

from ogp import text
from ogp.ingest import report_lines

__all__ = ["coverage_table", "report_lines", "report_tables", "snapshot_table"]

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
                "created_at": m.get("created_at"),
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
    """The tables of one file's import report: columns read under other names, values not
    understood, missing values per rating, keys repaired, members not recognised."""
    cols = f.get("columns", {})
    other = pd.DataFrame(cols.get("other_names", []), columns=["header", "column", "how"])
    odd = pd.DataFrame(
        [
            {
                "column": column,
                "scale": v.get("scale"),
                "rows": v.get("rows"),
                "examples": ", ".join(v.get("examples", [])),
            }
            for column, v in f.get("values_not_understood", {}).items()
        ],
        columns=["column", "scale", "rows", "examples"],
    )
    ratings = pd.DataFrame(
        [
            {
                "rating": rating_label(fld),
                "column": r.get("column") if r.get("present") else f"{r.get('column')} (absent)",
                "missing": r.get("missing"),
                "of": r.get("of"),
                "missing_pct": text.pct(r.get("missing"), r.get("of")),
            }
            for fld, r in f.get("ratings", {}).items()
        ],
        columns=["rating", "column", "missing", "of", "missing_pct"],
    )
    repaired = pd.DataFrame(
        [
            {"how": k.get("how"), "rows": k.get("rows"), "examples": ", ".join(k.get("examples", []))}
            for k in f.get("keys_repaired", [])
        ],
        columns=["how", "rows", "examples"],
    )
    members = pd.DataFrame(f.get("members_not_recognised", []), columns=["in_file", "code", "resolved"])
    return {
        "Columns read under other names": other,
        "Values not understood (stored as missing)": odd,
        "Missing values per rating": ratings,
        "Keys repaired": repaired,
        "Members not in members.csv": members,
    }
