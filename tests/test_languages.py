"""French titles with a member's name read naturally: no "de Espagne" (French needs
"de l'Espagne", "du Mexique", "des Philippines"); the titles are phrased without the article."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from pagetest import ROOT

from ogp.model import i18n


def test_french_never_puts_a_bare_preposition_before_a_members_name():
    with open(ROOT / "locale" / "fr" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    bad = [
        m.string
        for m in catalog
        if isinstance(m.string, str) and re.search(r"\b(de|à|du|en) \{(member|name)\}", m.string)
    ]
    assert not bad


def test_action_plans_title_in_french_and_spanish():
    with i18n.using("fr"):
        assert i18n._("Action plans of {member}").format(member="Espagne") == "Plans d'action — Espagne"
    with i18n.using("es"):
        assert i18n._("Action plans of {member}").format(member="España") == "Planes de acción de España"
