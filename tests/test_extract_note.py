"""Every page that counts members, plans or changes says when an extract limits what it can tell
(issue 24): one sentence, made by ogp.model.text.extract_note from the snapshots' manifest `scope`, in
the reader's language. The bundled snapshots are both extracts (data/raw/SOURCES.md)."""

from __future__ import annotations

import pytest
from pagetest import assert_clean, run_page

from ogp.data.store import Store
from ogp.model import i18n, text

BOTH = "These snapshots are extracts: 2017\\-03\\-30, commitments of the action plans the IRM had assessed"
ONE = "The snapshot of 2024\\-07\\-06 is an extract: commitments on open parliaments and legislation\\."
LIMIT = "Members, action plans and commitments outside"


def shown(at) -> str:
    return " ".join(e.value for kind in ("caption", "markdown", "info") for e in getattr(at, kind))


@pytest.mark.parametrize(
    "page",
    ["pages/overview.py", "pages/members.py", "pages/progress.py", "pages/monitor.py", "pages/data.py"],
)
def test_every_counting_page_says_its_snapshots_are_extracts(page):
    at = run_page(page)
    assert_clean(at)
    assert BOTH in shown(at) and LIMIT in shown(at)


def test_one_snapshot_chosen_names_that_extract_only():
    at = run_page("pages/overview.py", snapshot="2024-07-06")
    assert_clean(at)
    assert ONE in shown(at) and "2017\\-03\\-30, commitments" not in shown(at)


def test_the_deck_says_it_on_its_source_line():
    at = run_page("pages/present.py")
    assert_clean(at)
    assert BOTH in shown(at)


def test_the_sentence_in_three_languages_from_the_manifests():
    s = Store()
    try:
        extracts = s.extracts()
        assert extracts == [(name, s.snapshot(name).covers) for name in ("2017-03-30", "2024-07-06")]
    finally:
        s.close()
    with i18n.using("es"):
        es = text.extract_note(extracts[1:])
    with i18n.using("fr"):
        fr = text.extract_note(extracts[1:])
    assert es.startswith(
        "La instantánea del 2024-07-06 es un extracto: compromisos sobre parlamentos abiertos"
    )
    assert fr.startswith(
        "L'instantané du 2024-07-06 est un extrait\u00a0: engagements sur les parlements ouverts"
    )
    assert text.extract_note([]) == ""
    assert text.extract_note([("2030-01-01", "a scope typed at import")]) == (
        "The snapshot of 2030-01-01 is an extract: a scope typed at import. Members, action plans and "
        "commitments outside it are not counted here, and one it leaves out may still exist."
    )
