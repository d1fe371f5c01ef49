"""The Methodology (/methodology, docs/METHOD.md): generated from the definitions and the data,
so it cannot drift; its counts agree with the snapshots' files; every provenance line links it."""

from __future__ import annotations

import pandas as pd
import pytest
from pagetest import ROOT, assert_clean, run_page

from ogp.data import matching
from ogp.data.store import Store
from ogp.model import measures, text
from ogp.render import method


@pytest.fixture(scope="module")
def doc() -> str:
    return method.document(method.facts(Store(ROOT / "data")))


def test_docs_method_md_is_what_the_bundled_data_gives(doc):
    # regenerate with: python -m ogp method --out docs/METHOD.md
    assert (ROOT / "docs" / "METHOD.md").read_text(encoding="utf-8") == doc


def test_every_figure_and_match_kind_is_explained(doc):
    for m in measures.ALL:
        assert f"- **{m.label}.** **Counts:** {m.counts}." in doc, m.key
    for kind in matching.KINDS:
        assert f"| `{kind}` |" in doc


def test_match_counts_are_those_of_the_files(doc):
    """Counted here from the parquet files with pandas, not through the store."""
    for snapshot in ("2017-03-30", "2024-07-06"):
        c = pd.read_parquet(ROOT / "data" / "snapshots" / snapshot / "commitments.parquet")
        for kind, n in c["match"].value_counts().items():
            assert f"| {snapshot} | `{kind}` | {n:,} |" in doc, (snapshot, kind)
    a = pd.read_parquet(ROOT / "data" / "snapshots" / "2017-03-30" / "commitments.parquet")
    b = pd.read_parquet(ROOT / "data" / "snapshots" / "2024-07-06" / "commitments.parquet")
    shared = len(set(a.key) & set(b.key))
    parts = int((a["match"] == "group").sum())
    assert f"{shared:,} commitments are in two snapshots under one key" in doc
    assert f"link {parts:,} superseded rows" in doc
    assert f"The latest state holds {len(a) + len(b) - shared - parts:,} commitments" in doc


def test_methodology_page():
    at = run_page("pages/methodology.py")
    assert_clean(at)
    shown = "\n".join(m.value for m in at.markdown)
    assert "# Methodology" in shown and "- **Ambitious.** **Counts:**" in shown and "| `group` |" in shown


def test_provenance_lines_link_the_methodology():
    at = run_page("pages/progress.py")
    assert_clean(at)
    # provenance lines: the coverage note (the extract sentence and OGP's totals, or the bundled note)
    captions = [c.value for c in at.caption if text.OGP_TOTALS in c.value or text.EXPORT_NOTE in c.value]
    assert captions and all("](/methodology)" in c for c in captions)
