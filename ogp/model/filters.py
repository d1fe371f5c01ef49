"""The dashboard's filters as one value: what the sidebar (and the URL) sets, what every
filtered query binds. Bad or hostile values are cleaned here, before any query sees them."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

MAX_QUERY_CHARS = 200
# Which completion rating the completion filter and every completion figure read (bound as
# $rating; queries/_setup.sql completion_rating; the words are ogp/model/measures.py RATING_NAMES):
# None the latest rating (end of term where there is one, else mid-term), or one of these.
END_OF_TERM = "end"
MIDTERM = "midterm"
RATINGS = (END_OF_TERM, MIDTERM)
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def clean_text(text: object, limit: int = MAX_QUERY_CHARS) -> str:
    """User text as a plain search string: no control characters (NUL included), bounded length."""
    if not isinstance(text, str):
        return ""
    return " ".join(CONTROL_CHARS.sub(" ", text).split())[:limit]


@dataclass(frozen=True)
class Filters:
    snapshot: str | None = None  # None: latest known state of every commitment
    members: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    theme: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    completion: tuple[str, ...] = ()
    rating: str | None = None  # None: latest rating; else one of RATINGS
    ambition: tuple[str, ...] = ()
    q: str = ""

    def params(self) -> dict:
        """Bind values for the `filtered(...)` macro: empty means NULL (no filter)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = list(value) or None
            elif isinstance(value, str):
                value = value or None
            out[f.name] = value
        out["q"] = clean_text(self.q) or None
        out["rating"] = self.rating if self.rating in RATINGS else None
        return out

    def without(self, *names: str) -> Filters:
        defaults: dict[str, Any] = {n: Filters.__dataclass_fields__[n].default for n in names}
        return replace(self, **defaults)

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)
