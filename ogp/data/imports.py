"""What each import brought in, for the Data page (pure: no Streamlit, no SQL): the snapshots'
manifests as a table, the coverage of each rating (queries/rating_coverage.sql) with labels,
and a file's import report (manifest `report.files[i]`, see docs/DATA.md) as text and tables."""

from __future__ import annotations

import pandas as pd

from ogp.model import text
from ogp.model.i18n import N_, _

# Ratings of the process database (action plans), next to text.RATING_LABELS (commitments).
PLAN_RATING_LABELS = {
    "iap2_development": N_("IAP2 level during development"),
    "iap2_implementation": N_("IAP2 level during implementation"),
}


def rating_label(field: str) -> str:
    """A rating column as shown, in the active language (the column's name when unknown)."""
    label = text.RATING_LABELS.get(field) or PLAN_RATING_LABELS.get(field)
    return _(label) if label else field


def snapshot_table(snapshots) -> pd.DataFrame:
    """One row per snapshot (newest first): date, sources, counts, warnings, how it was made.
    `snapshots`: ogp.data.store.Snapshot objects (name + manifest)."""
    rows = []
    for snap in sorted(snapshots, key=lambda s: s.name, reverse=True):
        m = snap.manifest
        c = m.get("counts", {})
        layouts = {f.get("file"): f.get("layout_label") for f in (m.get("report") or {}).get("files", [])}
        sources = [
            f"{s.get('file')} ({layouts.get(s.get('file')) or s.get('kind') or _('unknown kind')})"
            for s in m.get("sources", [])
        ]
        rows.append(
            {
                "snapshot": snap.name,
                "sources": "; ".join(sources) or (_("synthetic data") if m.get("synthetic") else "–"),
                "scope": _("complete export")
                if snap.complete
                else _("extract: {covers}").format(covers=_(snap.covers) if snap.covers else "–"),
                "commitments": c.get("commitments"),
                "members": c.get("members"),
                "action_plans": c.get("action_plans"),
                "warnings": len(m.get("warnings", [])),
                "made": _("synthetic") if m.get("synthetic") else _("imported"),
                "created_at": (m.get("created_at") or "")[:16].replace("T", " ") or None,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "snapshot",
            "sources",
            "scope",
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
    """The tables of one file's import report, with column names as shown (in the active
    language): columns read under other names, values not understood, missing values per
    rating, keys repaired, members not recognised."""
    cols = f.get("columns", {})
    header, read_as, matched_by = _("Header in the file"), _("Read as"), _("Matched by")
    other = pd.DataFrame(
        [
            {header: m.get("header"), read_as: m.get("column"), matched_by: m.get("how")}
            for m in cols.get("other_names", [])
        ],
        columns=[header, read_as, matched_by],
    )
    column, scale, rows, examples = _("Column"), _("Scale"), _("Rows"), _("Examples")
    odd = pd.DataFrame(
        [
            {
                column: c,
                scale: v.get("scale"),
                rows: v.get("rows"),
                examples: ", ".join(v.get("examples", [])),
            }
            for c, v in f.get("values_not_understood", {}).items()
        ],
        columns=[column, scale, rows, examples],
    )
    rating, in_file, missing, of, share = (
        _("Rating"),
        _("Column in the file"),
        _("Missing"),
        _("Of"),
        _("Missing share"),
    )
    ratings = pd.DataFrame(
        [
            {
                rating: rating_label(fld),
                in_file: r.get("column")
                if r.get("present")
                else _("{column} (absent)").format(column=r.get("column")),
                missing: r.get("missing"),
                of: r.get("of"),
                share: text.pct(r.get("missing"), r.get("of")),
            }
            for fld, r in f.get("ratings", {}).items()
        ],
        columns=[rating, in_file, missing, of, share],
    )
    repair = _("Repair")
    repaired = pd.DataFrame(
        [
            {repair: k.get("how"), rows: k.get("rows"), examples: ", ".join(k.get("examples", []))}
            for k in f.get("keys_repaired", [])
        ],
        columns=[repair, rows, examples],
    )
    in_the_file, code, resolved = _("In the file"), _("Code"), _("Resolved by")
    members = pd.DataFrame(
        [
            {in_the_file: m.get("in_file"), code: m.get("code"), resolved: m.get("resolved")}
            for m in f.get("members_not_recognised", [])
        ],
        columns=[in_the_file, code, resolved],
    )
    return {
        _("Columns read under other names"): other,
        _("Values not understood (stored as missing)"): odd,
        _("Missing values per rating"): ratings,
        _("Keys repaired"): repaired,
        _("Members not in members.csv"): members,
    }


# -- the import report as text (python -m ogp import prints it; the Data page shows it) ------
def _examples(values: list[str], n: int = 2) -> str:
    return ", ".join(f"'{text.one_line(v)[:40]}'" for v in values[:n])


def report_lines(f: dict) -> list[str]:
    """A file's import report (manifest `report.files[i]`) in a few lines of plain text, in the
    active language (the CLI's is English). The importer's own words from the manifest (layout,
    repairs, reasons) stay as it wrote them."""
    above = ", ".join(a["what"] for a in f.get("above_header", []))
    cols, rows = f["columns"], f["rows"]
    by = ", ".join(f"{n} {how}" for how, n in sorted(cols["by"].items(), key=lambda x: -x[1]))
    head = (
        _("{file}: {layout} (header on line {row}, below: {above})")
        if above
        else _("{file}: {layout} (header on line {row})")
    )
    columns = _("columns: {matched} of the layout's {of} matched ({by})").format(
        matched=cols["matched"], of=cols["of_layout"], by=by
    )
    if cols["optional_missing"]:
        n = len(cols["optional_missing"])
        columns += "; " + _("{n} expected column(s) absent").format(n=n)
    lines = [head.format(file=f["file"], layout=f["layout_label"], row=f["header_row"], above=above), columns]
    other = [
        _("'{header}' as {column}").format(header=m["header"], column=m["column"])
        for m in cols["other_names"]
        if m["how"] != "case/spacing"
    ]
    if other:
        more = _(" and {n} more").format(n=len(other) - 4) if len(other) > 4 else ""
        lines.append(_("other names: {names}").format(names=", ".join(other[:4])) + more)
    dropped = ", ".join(f"{n} {why}" for why, n in rows["dropped"].items())
    read = _("rows: {read} read, {kept} kept").format(read=rows["read"], kept=rows["kept"])
    lines.append(read + (_(", dropped {dropped}").format(dropped=dropped) if dropped else ""))
    if f.get("numbers_from_titles"):
        lines.append(_("commitment numbers: read from the start of the titles"))
    for k in f["keys_repaired"]:
        lines.append(
            _("keys repaired: {rows} {how} (e.g. {examples})").format(
                rows=k["rows"], how=k["how"], examples=_examples(k["examples"])
            )
        )
    odd = f["values_not_understood"]
    if odd:
        lines.append(
            _("values not understood (stored as missing): {values}").format(
                values="; ".join(
                    _("{column} {n} row(s), e.g. {examples}").format(
                        column=c, n=v["rows"], examples=_examples(v["examples"])
                    )
                    for c, v in odd.items()
                )
            )
        )
    if f["members_not_recognised"]:
        lines.append(
            _("members not in members.csv: {members}").format(
                members=", ".join(f"{m['in_file']} -> {m['code']}" for m in f["members_not_recognised"][:6])
            )
        )
    ratings = f["ratings"]
    if ratings:
        total = max(r["of"] for r in ratings.values())
        lines.append(
            _("missing ratings (of {total}): {ratings}").format(
                total=total,
                ratings=", ".join(
                    f"{fld} {r['missing']}" + ("" if r["present"] else _(" (no column)"))
                    for fld, r in ratings.items()
                ),
            )
        )
    return lines


MATCH_KINDS = {  # shown through _()
    "id": N_("by OGP id"),
    "number": N_("by number"),
    "title": N_("by title"),
    "group": N_("in a group"),
    "none": N_("new"),
}


def matching_line(report: dict) -> str | None:
    """How the keys were matched against the snapshots already there (report `matching`), one line."""
    m = report.get("matching")
    if not m:
        return None
    if not m.get("against"):
        return _("keys: no earlier snapshot to match against; every commitment gets a new key")
    counts = ", ".join(
        f"{n} {_(MATCH_KINDS[k]) if k in MATCH_KINDS else k}" for k, n in m.get("counts", {}).items() if n
    )
    return _("keys matched against {snapshots}: {counts}").format(
        snapshots=", ".join(m["against"]), counts=counts
    )
