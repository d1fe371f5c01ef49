"""Themes are data: `data/themes.toml` maps each theme to policy areas (current schema) and
tags (legacy schema). This module reads and checks that file; the store turns it into SQL."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ogp.model import i18n
from ogp.model.paths import BUNDLED_DATA_DIR

THEMES_FILE = BUNDLED_DATA_DIR / "themes.toml"
SLUG = re.compile(r"^[a-z][a-z0-9-]{1,40}$")
RESERVED_SLUGS = {
    "map",
    "members",
    "commitments",
    "progress",
    "present",
    "overview",
    "monitor",
    "data",
    "methodology",
}
TEXT_FIELDS = ("title", "short", "intro", "story")  # the words of a theme, per language


@dataclass(frozen=True)
class Theme:
    slug: str
    title: str
    short: str
    intro: str
    policy_areas: tuple[str, ...]
    tags: tuple[str, ...]
    story: str = ""
    # (language, field, text) for the other languages ([theme.es], [theme.fr] in the file)
    texts: tuple[tuple[str, str, str], ...] = ()

    def text(self, field: str, lang: str) -> str | None:
        """This theme's `field` as written for `lang` (None when the file has none)."""
        return next((t for lg, f, t in self.texts if lg == lang and f == field), None)

    def localised(self, lang: str) -> Theme:
        """The theme with its words in `lang` where the file has them (English otherwise)."""
        changes: dict[str, Any] = {f: t for f in TEXT_FIELDS if (t := self.text(f, lang))}
        return replace(self, **changes) if changes else self


class ThemeFileError(ValueError):
    pass


def load_themes(path: Path = THEMES_FILE) -> tuple[Theme, ...]:
    """The themes, their words in the active language (ogp.model.i18n); slugs, areas and tags are
    the same in every language."""
    return _localised(path, i18n.current())


@lru_cache(maxsize=16)
def _localised(path: Path, lang: str) -> tuple[Theme, ...]:
    return tuple(t.localised(lang) for t in load_themes_as_written(path))


@lru_cache(maxsize=4)
def load_themes_as_written(path: Path = THEMES_FILE) -> tuple[Theme, ...]:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ThemeFileError(f"{path}: cannot read themes: {exc}") from exc
    themes, seen = [], set()
    for i, item in enumerate(raw.get("theme", []), start=1):
        slug = item.get("slug", "")
        if not SLUG.match(slug) or slug in RESERVED_SLUGS:
            raise ThemeFileError(
                f"{path}: theme {i}: slug {slug!r} must be lower-case words joined by '-' and not a page name"
            )
        if slug in seen:
            raise ThemeFileError(f"{path}: theme {i}: slug {slug!r} appears twice")
        if not item.get("title") or not (item.get("policy_areas") or item.get("tags")):
            raise ThemeFileError(f"{path}: theme {slug!r} needs a title and at least one policy area or tag")
        seen.add(slug)
        themes.append(
            Theme(
                slug=slug,
                title=item["title"],
                short=item.get("short", item["title"]),
                intro=" ".join(item.get("intro", "").split()),
                story=" ".join(item.get("story", "").split()),
                policy_areas=tuple(item.get("policy_areas", ())),
                tags=tuple(item.get("tags", ())),
                texts=tuple(
                    (lang, f, " ".join(str(words[f]).split()))
                    for lang in i18n.LANGUAGES
                    if isinstance(words := item.get(lang), dict)
                    for f in TEXT_FIELDS
                    if words.get(f)
                ),
            )
        )
    return tuple(themes)


def theme_by_slug(slug: str, path: Path = THEMES_FILE) -> Theme | None:
    return next((t for t in load_themes(path) if t.slug == slug), None)


def theme_area_rows(path: Path = THEMES_FILE) -> list[tuple[str, str, str]]:
    """(theme slug, schema, area) rows: current-schema (and synthetic) rows match on policy
    areas, legacy rows on tags."""
    rows = []
    for t in load_themes(path):
        rows += [(t.slug, s, a) for a in t.policy_areas for s in ("current", "synthetic")]
        rows += [(t.slug, "legacy", a) for a in t.tags]
    return rows
