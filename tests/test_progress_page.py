"""/progress has one snapshot control (issue 27 item 9): "the sidebar's 'Data as of' changes only
the lower sections, and the scope sentence sits mid-page". Every section reads the sidebar's
snapshot, the sentence saying which comes first, and the comparison runs up to that snapshot."""

from __future__ import annotations

import recompute
from pagetest import assert_clean, run_page


def order(at) -> list[str]:
    """The main area's headers and captions, top to bottom."""
    out = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            kind = getattr(child, "type", "")
            if kind in ("header", "caption", "title"):
                out.append(f"{kind}: {child.value}")
            walk(child)

    walk(at.main)
    return out


def test_the_scope_sentence_comes_first_and_there_is_no_second_later_snapshot():
    at = run_page("pages/progress.py")
    assert_clean(at)
    seen = order(at)
    first_header = next(i for i, s in enumerate(seen) if s.startswith("header:"))
    scope = next(i for i, s in enumerate(seen) if "Numbers from" in s)
    assert scope < first_header, seen  # was under "Mid-term against end of term"
    assert [s.key for s in at.selectbox if s.key in ("from", "to")] == ["from"]
    changed = len(recompute.movers())  # newest snapshot against the earliest, as before
    assert any(
        f"**{changed:,}** commitments rated in both snapshots changed level" in m.value for m in at.markdown
    )


def test_data_as_of_moves_the_comparison_too():
    """The sidebar's "Data as of" on the earliest snapshot: nothing earlier to compare with, said
    so, and the lower sections use that snapshot (the scope sentence names it)."""
    at = run_page("pages/progress.py", snapshot="2017-03-30")
    assert_clean(at)
    assert "from" not in [s.key for s in at.selectbox]
    assert any("No earlier snapshot to compare 2017-03-30" in i.value for i in at.info)
    assert any("snapshot of 2017-03-30" in c.value for c in at.caption)
    later = run_page("pages/progress.py", snapshot="2024-07-06")
    assert_clean(later)
    import json

    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in later.get("plotly_chart")]
    matrix = next(t for t in titles if "(rows)" in t)
    assert "2017-03-30" in matrix and "2024-07-06" in matrix, matrix
