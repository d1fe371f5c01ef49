"""/data with AppTest on the bundled snapshots: every snapshot with its sources and counts (the
manifests'), the coverage of each rating (counted here from the parquet files with pandas), the
import report of each file, and the link to the methodology."""

from __future__ import annotations

import json

import pandas as pd
from pagetest import ROOT, assert_clean, run_page

from ogp.model import text

SNAPSHOTS = ROOT / "data" / "snapshots"


def manifests() -> dict[str, dict]:
    return {
        p.name: json.loads((p / "manifest.json").read_text(encoding="utf-8"))
        for p in sorted(SNAPSHOTS.iterdir())
        if (p / "manifest.json").is_file()
    }


def test_data_page():
    at = run_page("pages/data.py")
    assert_clean(at)
    assert at.title[0].value == "Data"
    assert "[Methodology](/methodology)" in at.markdown[0].value

    snapshots, coverage = at.dataframe[0].value, at.dataframe[1].value
    ms = manifests()
    assert list(snapshots["snapshot"]) == sorted(ms, reverse=True)
    for _, row in snapshots.iterrows():
        m = ms[row["snapshot"]]
        assert row[["commitments", "members", "action_plans"]].tolist() == [
            m["counts"]["commitments"],
            m["counts"]["members"],
            m["counts"]["action_plans"],
        ]
        assert row["warnings"] == len(m["warnings"])
        for source in m["sources"]:
            assert source["file"] in row["sources"]
    assert "legacy IRM explorer table" in snapshots.set_index("snapshot").loc["2017-03-30", "sources"]

    # coverage: rated rows per rating and snapshot, counted from the parquet files
    got = {(r.snapshot, r.label): (r.rated, r.commitments, r.coverage) for r in coverage.itertuples()}
    assert len(got) == len(ms) * len(text.RATING_LABELS)
    for name in ms:
        rows = pd.read_parquet(SNAPSHOTS / name / "commitments.parquet")
        for field, label in text.RATING_LABELS.items():
            rated = int(rows[field].notna().sum())
            assert got[(name, label)] == (rated, len(rows), text.pct(rated, len(rows))), (name, field)
    assert got[("2024-07-06", "Completion (end of term)")][:2] == (343, 558)

    # one expander per snapshot, with its report and warnings
    labels = [e.label for e in at.expander]
    assert labels[0].startswith("2024-07-06 · open_parliament_0703.csv · ")
    assert labels[1].startswith("2017-03-30 · ogpirm_live_data.csv, ogp_irm__")
    legacy = at.expander[1]
    body = " ".join(m.value for m in legacy.markdown)
    head = "ogpirm_live_data.csv: legacy IRM explorer table (header on line 2, below: index row)"
    assert f"**{text.escape_md(head)}**" in body
    assert "rows: 1927 read, 1927 kept" in body
    assert text.escape_md("Potential impact 7 row(s)") in body
    newest = " ".join(m.value for m in at.expander[0].markdown)
    assert "**Matching across snapshots**: keys" in newest
    for w in ms["2017-03-30"]["warnings"]:
        assert text.escape_md(w) in body
    tables = [d.value for d in legacy.dataframe]
    missing = next(t for t in tables if "Missing share" in t.columns)
    assert missing.set_index("Rating").loc["Completion (mid-term)", "Missing"] == 71


def test_data_page_without_reports(tmp_path, monkeypatch):
    """A snapshot imported before reports existed still lists, with its counts and warnings."""
    import shutil

    for name in ("2017-03-30", "2024-07-06"):
        shutil.copytree(SNAPSHOTS / name, tmp_path / "snapshots" / name)
    m = json.loads((tmp_path / "snapshots" / "2017-03-30" / "manifest.json").read_text(encoding="utf-8"))
    del m["report"]
    (tmp_path / "snapshots" / "2017-03-30" / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    monkeypatch.setenv("OGP_DATA_DIR", str(tmp_path))
    at = run_page("pages/data.py")
    assert_clean(at)
    old = at.expander[1]
    assert "imported before reports existed" in old.info[0].value
    assert at.dataframe[0].value.set_index("snapshot").loc["2017-03-30", "commitments"] == 1927
