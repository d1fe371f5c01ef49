"""The dashboard in English, Spanish and French: the active language, the gettext catalogs of
`locale/<lang>/LC_MESSAGES/messages.mo`, and numbers, percentages, dates and country names per
locale (Babel's CLDR data). Pure: no Streamlit here, so charts, the deck and the brief use it
too; `ogp.app.ui` decides the language of a session (URL, browser) and calls `activate`.

How to write a user-facing string:

- text shown now: ``_("Members")``; with values: ``_("{n} of {m} assessed").format(n=..., m=...)``
  (named placeholders, so translators can move them);
- a count: ``ngettext("{n} snapshot", "{n} snapshots", n).format(n=n)``;
- a word whose translation depends on its use: ``pgettext("completion", "Limited")``;
- a module-level constant: mark it ``N_("Commitments")`` (extracted, returned unchanged) and
  translate it where it is shown: ``_(MAP_MEASURES[key])``.

Catalogs: ``pybabel extract -F babel.cfg -o locale/messages.pot .`` then
``pybabel update -i locale/messages.pot -d locale`` and, after translating,
``pybabel compile -d locale`` (the .mo files are committed; tests/test_i18n.py fails when one
is out of date or a string lacks a translation)."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import gettext as _gettext
from collections.abc import Iterator
from decimal import Decimal
from functools import cache, lru_cache
from typing import SupportsFloat

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from ogp.model.paths import PROJECT_DIR

LOCALE_DIR = PROJECT_DIR / "locale"
DOMAIN = "messages"
DEFAULT = "en"
# The languages OGP works in, each named in itself (the picker shows these).
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "fr": "Français"}
# ISO 3166 codes that CLDR's alpha-3 aliases lack: OGP writes Kosovo as XKX (user-assigned).
EXTRA_ALPHA2 = {"XKX": "XK"}

_active: contextvars.ContextVar[str] = contextvars.ContextVar("ogp_language")
# Where a thread that never called activate() finds its language (ogp.app.ui installs one that
# reads the Streamlit session: a page script run on its own still speaks its session's
# language). None: English.
_fallback = None
# Extra translations registered at run time (tests register a pseudo-locale here).
_registered: dict[str, _gettext.NullTranslations] = {}


# -- the active language --------------------------------------------------------------------
def available() -> tuple[str, ...]:
    return (*LANGUAGES, *_registered)


def supported(code: object) -> str | None:
    """`code` as one of our languages, or None (case and region ignored: 'ES-mx' -> 'es')."""
    if not isinstance(code, str) or not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in available() else None


def negotiate(requested: object = None, remembered: object = None, browser: object = None) -> str:
    """The language to use: the one asked for in the URL (?lang=), else the one this session
    already uses, else the browser's (st.context.locale, e.g. 'es-ES'), else English."""
    for candidate in (requested, remembered, browser):
        lang = supported(candidate)
        if lang:
            return lang
    return DEFAULT


def activate(lang: str) -> str:
    """Make `lang` the language of this thread's (this session's) strings."""
    lang = supported(lang) or DEFAULT
    _active.set(lang)
    return lang


def current() -> str:
    lang = _active.get(None)
    if lang is None and _fallback is not None:
        lang = supported(_fallback())
    return lang or DEFAULT


def set_fallback(resolver) -> None:
    """`resolver()` gives the language of a thread that did not activate one (or None)."""
    global _fallback
    _fallback = resolver


@contextlib.contextmanager
def using(lang: str) -> Iterator[str]:
    """Temporarily another language (a brief or a deck rendered in French, a test)."""
    token = _active.set(supported(lang) or DEFAULT)
    try:
        yield current()
    finally:
        _active.reset(token)


def keep_language(fn):
    """`fn` run in the language active now, whichever thread calls it later: for a widget's
    format_func, which Streamlit (and AppTest) may call outside the script's run."""
    lang = current()

    def call(*args, **kwargs):
        with using(lang):
            return fn(*args, **kwargs)

    return call


def register(lang: str, translations: _gettext.NullTranslations) -> None:
    """Add a language at run time (the pseudo-locale of the tests)."""
    _registered[lang] = translations


def unregister(lang: str) -> None:
    _registered.pop(lang, None)


# -- catalog lookup -------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _catalog(lang: str) -> _gettext.NullTranslations:
    if lang == DEFAULT:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)


def translations(lang: str | None = None) -> _gettext.NullTranslations:
    lang = lang or current()
    return _registered.get(lang) or _catalog(lang)


def _(message: str) -> str:
    """`message` in the active language (itself when there is no translation)."""
    return translations().gettext(message)


def gettext(message: str) -> str:
    return _(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations().pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations().npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Mark a module-level constant for extraction; translate it with _() where it is shown."""
    return message


# -- IRM levels -----------------------------------------------------------------------------
def level(scale: str, name: object) -> str:
    """An IRM level ('Limited' of the completion scale) in OGP's own terms of the active
    language. The catalog holds every level of `ogp.model.scales` with the scale as its context
    (extracted by `extract_scales`); anything else (a missing value, data) is returned as is.
    Untranslated (English), a level reads in sentence case like every other label ('Not
    started' beside 'Not assessed'); the data keeps IRM's spelling ('Not Started')."""
    if not isinstance(name, str) or not name:
        return name  # type: ignore[return-value]  # a missing value or data goes back as it came
    shown = pgettext(scale, name)
    return shown[:1] + shown[1:].lower() if shown == name else shown


def extract_scales(fileobj, keywords, comment_tags, options):
    """Babel extractor for ogp/model/scales.py: every level of every scale becomes a message with
    its scale as context, so 'Moderate' (potential impact) and 'Moderate' (early results) can
    be translated apart. Configured in babel.cfg."""
    from ogp.model import scales

    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()

    def line_of(name: str) -> int:
        needle = f'"{name}"'
        return next((i for i, line in enumerate(lines, 1) if needle in line), 1)

    seen = set()
    for scale in scales.SCALES:
        for name in scales.levels(scale, with_unordered=True):
            if (scale, name) in seen:
                continue
            seen.add((scale, name))
            comment = f"IRM level of the '{scale}' scale (ogp/model/scales.py); use the IRM's published term."
            yield line_of(name), "pgettext", (scale, name), [comment]


# -- numbers, percentages, dates ------------------------------------------------------------
def locale(lang: str | None = None) -> Locale:
    lang = lang or current()
    return _parsed(lang if lang in LANGUAGES else DEFAULT)


@cache
def _parsed(code: str) -> Locale:
    """Babel's Locale for one of LANGUAGES, parsed once (a rerun formats dozens of numbers)."""
    try:
        return Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT)


def number(value: float | Decimal | str | None, lang: str | None = None) -> str:
    """1,234 / 1.234 / 1 234 ('–' for a missing value)."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return format_decimal(value, locale=locale(lang))


def decimal(value: float | Decimal | str | None, digits: int = 1, lang: str | None = None) -> str:
    """A number with `digits` decimals: 45.6 / 45,6."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return format_decimal(value, "#,##0." + "0" * digits if digits else "#,##0", locale=locale(lang))


def percent(
    part: SupportsFloat | None, whole: SupportsFloat | None, lang: str | None = None, digits: int = 0
) -> str:
    """part/whole as a percentage in the locale's format (46% / 46 % / 46 %); '–' without a whole."""
    if not whole or part is None or (isinstance(part, float) and part != part):
        return "–"
    where = locale(lang)
    pattern = where.percent_formats[None].pattern  # "#,##0%", "#,##0 %" (fr, es)
    if digits:
        pattern = pattern.replace("0", "0." + "0" * digits, 1)
    return format_percent(float(part) / float(whole), pattern, locale=where)


def compact(value: int, digits: int = 1, lang: str | None = None) -> str:
    """A large number in words: 2.31 billion / 2,31 mil millones / 2,31 milliards."""
    return format_compact_decimal(value, format_type="long", locale=locale(lang), fraction_digits=digits)


def percent_sign(lang: str | None = None) -> str:
    """The percent sign as the locale writes it after a number: '%' / ' %' (no-break space)."""
    return percent(1, 100, lang).replace("1", "")


def plotly_separators(lang: str | None = None) -> str:
    """Plotly's `layout.separators` (decimal mark, then thousands separator) for the locale."""
    where = locale(lang)
    return where.number_symbols["latn"]["decimal"] + where.number_symbols["latn"]["group"]


def share(value: SupportsFloat | None, lang: str | None = None, digits: int = 0) -> str:
    """A value already in percent (45.6) in the locale's format."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return percent(float(value), 100, lang, digits)


def date(value: object, lang: str | None = None, format: str = "medium") -> str:
    """A date ('2024-07-06', date or datetime) as 'Jul 6, 2024' / '6 jul 2024' / '6 juil. 2024'."""
    if isinstance(value, str):
        written = value
        try:
            value = dt.date.fromisoformat(written[:10])
        except ValueError:
            return written
    if not isinstance(value, dt.date):
        return "–" if value is None else str(value)
    return format_date(value, format, locale=locale(lang))


# -- names ----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _alpha3_to_alpha2() -> dict[str, str]:
    aliases = get_global("territory_aliases")
    table = {k: v[0] for k, v in aliases.items() if len(k) == 3 and k.isalpha() and len(v) == 1}
    return {**table, **EXTRA_ALPHA2}


def alpha2(iso3: object) -> str | None:
    return _alpha3_to_alpha2().get(iso3.upper()) if isinstance(iso3, str) else None


def country_name(iso3: object, fallback: str, lang: str | None = None) -> str:
    """A national member's name in the reader's language from CLDR (BRA: Brasil, Brésil).
    English keeps OGP's own spelling (`fallback`, from the data); so does any code CLDR lacks."""
    lang = lang or current()
    if lang == DEFAULT or lang not in LANGUAGES:
        return fallback
    code = alpha2(iso3)
    return locale(lang).territories.get(code, fallback) if code else fallback


def member_name(name: str, kind: object = None, iso3: object = None, lang: str | None = None) -> str:
    """A member's name as shown: national members in the reader's language, local members
    (cities, regions) as OGP writes them."""
    if kind == "local" or not iso3:
        return name
    return country_name(iso3, name, lang)


@lru_cache(maxsize=8)
def _country_names(lang: str) -> dict[str, str]:
    """ISO3 -> CLDR name in `lang`, for every code CLDR names."""
    names = locale(lang).territories
    return {a3: names[a2] for a3, a2 in _alpha3_to_alpha2().items() if a2 in names}


def localise_members(frame, lang: str | None = None):
    """A query's frame with national members' names (`member_name`, keyed by a three-letter
    `member_code`, their ISO3) in `lang`; local members (four-letter codes) and English as
    stored. The frame itself is never changed (it may be a cached one)."""
    lang = lang or current()
    if lang == DEFAULT or lang not in LANGUAGES:
        return frame
    if "member_name" not in getattr(frame, "columns", ()) or "member_code" not in frame.columns:
        return frame
    names = frame["member_code"].map(_country_names(lang))
    if names.isna().all():
        return frame
    return frame.assign(member_name=names.fillna(frame["member_name"]).astype(frame["member_name"].dtype))


# OGP's regions as the members file writes them (data/members.csv), translated where shown.
REGIONS = (
    N_("Africa and the Middle East"),
    N_("Americas"),
    N_("Asia and the Pacific"),
    N_("Europe"),
)


def region(name: object) -> str:
    return _(name) if name in REGIONS else name  # type: ignore[return-value]  # a name outside REGIONS (data) goes back as it came


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)
