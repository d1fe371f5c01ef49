"""Languages: the catalogs are complete and compiled, numbers and names follow the reader's
locale, the language follows the URL / session / browser, and no visible string of the project
bypasses the catalog (the pseudo-locale test)."""

from __future__ import annotations

import gettext
import html
import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from pagetest import DASHBOARD, ROOT, assert_clean, run_page, sweep
from streamlit.testing.v1 import AppTest

from ogp.model import i18n, scales

LANGS = tuple(lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT)  # the translated ones
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# (context, msgid) pairs whose translation is the same word on purpose, per language.
IDENTICAL = {
    "es": {
        ("diog", "Marginal"),
        (None, "Local"),
        (None, "Plan"),
        (None, "Plan {n}"),
        (None, "No"),
        (None, "{label}{where}: {value} ({counts})."),
        (None, "{label}{where}: {value}, {detail}."),
        (None, "{label}: {counts}."),
        (None, "{title} ({rating})"),
        (None, "Bytes"),
        (None, "sha256"),
    },
    "fr": {
        (None, "{title} ({rating})"),
        (None, "in {year}"),
        ("diog", "Marginal"),
        (None, "Local"),
        (None, "Plan"),
        (None, "Plan {n}"),
        (None, "Europe"),
        (None, "Latitude"),
        (None, "Longitude"),
        (None, "National"),
        (None, "Source"),
        (None, "Sources"),
        (None, "sha256"),
        (None, "Description"),
    },
}


def po(lang: str):
    with open(ROOT / "locale" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def extracted() -> dict[tuple[str | None, str], object]:
    """Every marked string of the code base, extracted as `pybabel extract` does (babel.cfg)."""
    import sys

    sys.path.insert(0, str(ROOT))  # the scales extractor imports ogp
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    out = {}
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=_KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        out[(context, msgid)] = message
    return out


_KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
}


@pytest.fixture(scope="module")
def source_messages():
    return extracted()


# -- catalogs -------------------------------------------------------------------------------
def test_every_scale_level_is_a_message(source_messages):
    for scale in scales.SCALES:
        for name in scales.levels(scale, with_unordered=True):
            assert (scale, name) in source_messages, (scale, name)


def test_template_is_in_sync_with_the_code(source_messages):
    with open(ROOT / "locale" / "messages.pot", "rb") as f:
        template = read_po(f)
    in_pot = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    assert in_pot == set(source_messages), "run scripts/i18n.sh: " + str(
        sorted(set(source_messages) ^ in_pot, key=str)[:10]
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated(lang, source_messages):
    """A string added to the code without a translation fails here (run scripts/i18n.sh, then
    translate the new entries of locale/<lang>/LC_MESSAGES/messages.po)."""
    catalog = po(lang)
    problems = []
    for context, msgid in source_messages:
        entry = catalog.get(msgid, context=context)
        if entry is None:
            problems.append(f"missing: {context or ''}|{msgid}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {msgid}")
        ids = list(entry.id) if isinstance(entry.id, tuple) else [entry.id]
        strings = list(entry.string) if isinstance(entry.string, tuple) else [entry.string]
        if not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {context or ''}|{msgid}")
            continue
        if strings[0] == ids[0] and (context, msgid) not in IDENTICAL[lang]:
            problems.append(f"identical (add to IDENTICAL if on purpose): {context or ''}|{msgid}")
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for s in strings:
            if set(PLACEHOLDER.findall(s)) != wanted:
                problems.append(f"placeholders {sorted(wanted)} changed in: {s!r}")
    assert not problems, "\n".join(problems)


def test_french_punctuation_does_not_start_a_line():
    """French puts a space before : ; ? ! » and after «: a no-break one, or the sign wraps onto
    a line of its own ("Méthodologie" / ": comment…" on a phone)."""
    bad = [
        m.id
        for m in po("fr")
        if m.id
        for s in (m.string if isinstance(m.string, tuple) else (m.string,))
        if re.search(r" [:;?!»]|« ", s)
    ]
    assert not bad, "use a no-break space (U+00A0) in: " + "; ".join(map(str, bad[:5]))


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalog_matches_the_po_file(lang):
    """The committed .mo is what `scripts/i18n.sh compile` makes of the .po."""
    catalog = po(lang)
    with open(ROOT / "locale" / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = read_mo(f)

    def table(cat):
        def frozen(v):
            return tuple(v) if isinstance(v, (list, tuple)) else v

        return {(m.context, frozen(m.id)): frozen(m.string) for m in cat if m.id and m.string and not m.fuzzy}

    assert table(compiled) == table(catalog), "run scripts/i18n.sh compile"


# -- lookup, numbers, names -----------------------------------------------------------------
def test_levels_in_ogps_terms():
    with i18n.using("es"):
        assert i18n.level("completion", "Substantial") == "Sustancial"
        assert i18n.level("potential_impact", "Transformative") == "Transformador"
        assert i18n.level("completion", None) is None
    with i18n.using("fr"):
        assert i18n.level("completion", "Not Started") == "Non commencé"
        assert i18n.level("potential_impact", "Moderate") == "Modéré"
        assert i18n.level("early_results", "Moderate") == "Modérés"  # same word, another scale
    assert i18n.level("completion", "Limited") == "Limited"


def test_numbers_percentages_and_dates_per_locale():
    assert [i18n.number(1234, lang) for lang in ("en", "es", "fr")] == ["1,234", "1.234", "1\u202f234"]
    assert i18n.percent(46, 100, "en") == "46%"
    assert i18n.percent(46, 100, "fr") == "46\u00a0%"
    assert i18n.percent(1, 0, "es") == "–"
    assert i18n.date("2024-07-06", "es") == "6 jul 2024"
    assert i18n.date("2024-07-06", "fr") == "6 juil. 2024"


def test_country_names_from_cldr():
    assert i18n.member_name("Brazil", "national", "BRA", "es") == "Brasil"
    assert i18n.member_name("Brazil", "national", "BRA", "fr") == "Brésil"
    assert i18n.member_name("Republic of Korea", "national", "KOR", "en") == "Republic of Korea"
    assert i18n.member_name("Kosovo", "national", "XKX", "fr") == "Kosovo"
    assert i18n.member_name("Madrid, Spain", "local", "ESP", "es") == "Madrid, Spain"


def test_every_national_member_has_a_cldr_name():
    import csv

    with open(ROOT / "data" / "members.csv", encoding="utf-8") as f:
        national = [r for r in csv.DictReader(f) if r["kind"] == "national"]
    assert len(national) > 50
    missing = [r["iso3"] for r in national if i18n.alpha2(r["iso3"]) is None]
    assert not missing


def test_language_negotiation():
    assert i18n.negotiate("fr", "es", "es-ES") == "fr"  # the URL wins
    assert i18n.negotiate(None, "es", "fr-FR") == "es"  # then the session's choice
    assert i18n.negotiate(None, None, "es-MX") == "es"  # then the browser
    assert i18n.negotiate("de", None, "pt-BR") == "en"  # nothing we speak: English
    assert i18n.negotiate("ES", None, None) == "es"


def test_language_is_per_thread():
    import threading

    seen = {}

    def other():
        seen["other"] = i18n.current()

    with i18n.using("fr"):
        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert i18n.current() == "fr"
    assert seen["other"] == "en"


# -- pages ----------------------------------------------------------------------------------
def open_dashboard(**query) -> AppTest:
    """The dashboard as a browser opens / (dashboard.py runs: navigation, picker, overview)."""
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_lang_in_the_url_translates_and_stays():
    at = open_dashboard(lang="es")
    assert_clean(at)
    picker = at.sidebar.selectbox(key="lang-picker")
    assert (picker.value, picker.label) == ("es", "Idioma")
    assert at.query_params["lang"] == "es"
    picker.set_value("fr").run()
    assert at.sidebar.selectbox(key="lang-picker").label == "Langue"
    assert at.query_params["lang"] == "fr"
    assert at.title[0].value.startswith("Partenariat pour un gouvernement ouvert")


def test_unknown_lang_is_dropped_and_english_links_stay_english():
    at = open_dashboard(lang="de", kind="national")
    assert_clean(at)
    assert "lang" not in at.query_params
    assert at.sidebar.selectbox(key="lang-picker").value == "en"
    assert at.sidebar.multiselect(key="kind-choice").value == ["national"]


def test_a_page_run_on_its_own_speaks_its_sessions_language():
    """Streamlit runs pages/x.py on its own when a pages/ folder sits beside the entry point
    (a fresh server's first visit, AppTest's page switch): the session's language holds."""
    at = run_page("pages/map.py", lang="fr")
    assert_clean(at)
    assert at.title[0].value == "Carte des membres du PGO"


def chart_titles(at) -> list[str]:
    import json

    return [
        json.loads(e.proto.spec)["layout"]["title"]["text"].replace("<br>", " ")  # titles wrap
        for e in at.get("plotly_chart") or [n for n in at.main if getattr(n.proto, "spec", "")]
    ]


@pytest.mark.parametrize(
    ("lang", "title", "commitments_label", "chart"),
    [
        (
            "es",
            "Alianza para el Gobierno Abierto: cumplir los compromisos",
            "Compromisos",
            "Compromisos por miembro",
        ),
        (
            "fr",
            "Partenariat pour un gouvernement ouvert\u00a0: tenir les engagements",
            "Engagements",
            "Engagements par membre",
        ),
    ],
)
def test_overview_in_spanish_and_french(lang, title, commitments_label, chart):
    from ogp.data.store import Store
    from ogp.model.filters import Filters

    total = int(Store(ROOT / "data").query("headline", **Filters().params())["commitments"].iloc[0])
    at = run_page("pages/overview.py", lang=lang)
    assert_clean(at)
    assert at.title[0].value == title
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[commitments_label] == i18n.number(total, lang)  # 2.316 / 2 316
    shown = "\n".join(c.value for c in at.caption)
    assert {"es": "Cifras del último estado", "fr": "Chiffres du dernier état"}[lang] in shown
    # the world map's title, built in this language (the shared figure cache is per language)
    assert any(chart in t for t in chart_titles(at))


def test_map_in_french_with_levels_and_names():
    from ogp.app import ui

    at = run_page("pages/map.py", lang="fr", measure="high_completion_pct")  # a code, not a label
    assert_clean(at)
    radio = at.radio(key="measure-choice")
    assert radio.label == "Colorer les membres selon"
    assert radio.value == "high_completion_pct"
    with i18n.using("fr"):
        assert ui.measure_name("high_completion_pct") in radio.options  # shown in French (its short name)
    radio.set_value("starred").run()
    assert at.query_params["measure"] == "starred"  # the URL keeps the code
    radio.set_value("commitments").run()
    assert "measure" not in at.query_params  # the default stays out of the URL
    assert "Royaume-Uni" in at.sidebar.multiselect(key="members-choice").options
    assert "Complet" in at.sidebar.multiselect(key="completion-choice").options
    # ...while the URL keeps what the data says: a link reads the same in every language
    at.sidebar.multiselect(key="completion-choice").set_value(["Complete"]).run()
    assert at.query_params["completion"] == "Complete"
    english = run_page("pages/map.py")
    assert "United Kingdom" in english.sidebar.multiselect(key="members-choice").options
    assert chart_titles(english) != chart_titles(at)


# -- pseudo-locale: every visible string of the project goes through the catalog -------------
OPEN, CLOSE = "⟦", "⟧"


class Pseudo(gettext.NullTranslations):
    """Every translated string wrapped in markers: text on a page without them bypassed _()."""

    def gettext(self, message):
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular, plural, n):
        return f"{OPEN}{singular if n == 1 else plural}{CLOSE}"

    def pgettext(self, context, message):
        return f"{OPEN}{message}{CLOSE}"

    def npgettext(self, context, singular, plural, n):
        return self.ngettext(singular, plural, n)


TEXT_FIELDS = {"body", "label", "help", "placeholder", "options"}
# Pages whose visible text is all translated, and those not converted yet (phase 2 moves
# them up; test_unconverted_pages_still_leak keeps this list honest).
CONVERTED: list[str] = [
    "pages/overview.py",
    "pages/map.py",
    "anti-corruption",
    "pages/members.py",
    "pages/present.py",
    "pages/commitments.py",
    "pages/progress.py",
    "pages/monitor.py",
    "pages/data.py",
    "pages/methodology.py",
]
NOT_CONVERTED: list[str] = []


def chart_texts(spec: str) -> list[str]:
    """The words of a Plotly figure: title, axis and colour-bar titles, trace names, hover
    templates (their %{...} fields and markup removed), annotations."""
    import json

    fig = json.loads(spec)
    layout, out = fig.get("layout", {}), []

    def title(obj):
        t = (obj or {}).get("title")
        return t.get("text") if isinstance(t, dict) else t

    out.append(title(layout))
    out += [title(v) for k, v in layout.items() if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict)]
    out += [a.get("text") for a in layout.get("annotations", [])]
    for trace in fig.get("data", []):
        out += [trace.get("name"), title(trace.get("colorbar"))]
        out.append(re.sub(r"%\{[^}]*\}|<[^>]+>", " ", trace.get("hovertemplate") or ""))
    return [t for t in out if isinstance(t, str) and t.strip()]


def visible_texts(node) -> list[str]:
    """Strings a reader sees in the page's elements and charts (not yet: table cells)."""
    out = []
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ListFields"):
        for field, value in proto.ListFields():
            if field.name in TEXT_FIELDS:
                values = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
                # CSS and the app's script (its texts are catalog strings, as JSON): not shown
                out += [v for v in values if not v.lstrip().startswith(("<style>", "<script>"))]
            elif field.name == "spec" and isinstance(value, str) and value.startswith("{"):
                out += chart_texts(value)
    children = getattr(node, "children", None) or {}
    for child in children.values() if isinstance(children, dict) else children:
        out += visible_texts(child)
    return out


def data_words() -> list[str]:
    """Text that is data, not the project's words: member names, snapshot dates, theme titles
    (translated in data/themes.toml, checked there)."""
    from ogp.app import ui
    from ogp.model.themes import load_themes

    options = ui.get_store().query("member_options")
    words = list(options["member_name"]) + list(ui.get_store().snapshot_names)
    words += [w for t in load_themes() for w in (t.title, t.short, t.intro, t.story)]
    words += [*i18n.LANGUAGES.values(), "qps"]  # the picker shows the pseudo-locale by its code
    words += ["billion", "million"]  # CLDR's compact numbers (i18n.compact), localised by Babel
    words += manifest_words()
    return sorted({w for w in words if w}, key=len, reverse=True)


def manifest_words() -> list[str]:
    """The importer's own notes in the snapshots' manifests (/data and /monitor show them as
    written, and say so): file names, layouts, warnings, repairs, reasons, the file's column
    names and the rating fields they were read into; the raw files' headers the Methodology
    names."""
    from ogp.app import ui
    from ogp.data import imports
    from ogp.render import method

    words = [*scales.COLUMN_SCALE, *imports.PLAN_RATING_LABELS, *scales.SCALES]
    for raw in method.RAW_COLUMNS.values():  # the raw files' headers (the Methodology's table)
        words += [c for cols in raw for c in ((cols,) if isinstance(cols, str) else cols)]
    for snap in ui.get_store().snapshots:
        m = snap.manifest
        words += [s.get("file") for s in m.get("sources", [])] + list(m.get("warnings", []))
        for f in (m.get("report") or {}).get("files", []):
            words += [f.get("file"), f.get("layout_label"), *f["columns"]["by"], *f["rows"]["dropped"]]
            words += [a["what"] for a in f.get("above_header", [])]
            words += [k["how"] for k in f.get("keys_repaired", [])]
            words += [*f.get("values_not_understood", {})] + [
                r["column"] for r in f.get("ratings", {}).values()
            ]
            words += [e for v in f.get("values_not_understood", {}).values() for e in v.get("examples", [])]
    return [w for w in words if isinstance(w, str)]


def leaks(texts: list[str], words: list[str]) -> list[str]:
    """The texts with words of their own left once wrapped segments and data are removed."""
    found = []
    for text in texts:
        rest = html.unescape(text.replace("\\", ""))  # as the reader sees Markdown's escapes
        while True:  # wrapped segments, innermost first
            stripped = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", rest)
            if stripped == rest:
                break
            rest = stripped
        rest = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*…", " ", rest)  # a wrapped string cut short to fit
        cut = rest.strip()
        if cut.endswith("…") and any(w.startswith(cut[:-1]) for w in words):
            continue  # data cut short to fit (a theme's name on a brief's bar)
        rest = re.sub(r"`[^`]*`", " ", rest)  # code spans: identifiers, paths, commands (not words)
        for w in words:
            rest = rest.replace(w, " ")
        if re.search(r"[A-Za-z]{2,}", rest):
            found.append(text)
    return found


def page_leaks(at) -> list[str]:
    return leaks(visible_texts(at._tree), data_words())


def run_pseudo(page: str):
    i18n.register("qps", Pseudo())
    try:
        return run_page(page, lang="qps")
    finally:
        i18n.unregister("qps")


def test_pseudo_locale_pages():
    """Converted pages show no text of ours outside the catalog; the pages not converted yet
    still do (phase 2 moves them to CONVERTED one by one, so this list stays honest)."""
    leaking = {}
    for page in CONVERTED + NOT_CONVERTED:
        at = run_pseudo(page)
        assert_clean(at)
        leaking[page] = page_leaks(at)
    assert {p: leaking[p] for p in CONVERTED if leaking[p]} == {}
    assert [p for p in NOT_CONVERTED if not leaking[p]] == [], "move these to CONVERTED"


def test_chrome_is_translated():
    """The language picker goes through the catalog (the navigation's titles too: dashboard.py)."""
    i18n.register("qps", Pseudo())
    try:
        at = open_dashboard(lang="qps")
    finally:
        i18n.unregister("qps")
    assert_clean(at)
    picker = at.sidebar.selectbox(key="lang-picker")
    assert picker.label == f"{OPEN}Language{CLOSE}"


def test_pseudo_check_catches_a_plain_string():
    words = ["United Kingdom", "2024-07-06"]
    assert not leaks(["⟦Members⟧", "United Kingdom", "⟦{n} of ⟦Limited⟧⟧ 12 %", "2024-07-06 · 3"], words)
    assert leaks(["⟦Members⟧ of OGP", "Map of OGP members", "United Kingdom: done"], words) == [
        "⟦Members⟧ of OGP",
        "Map of OGP members",
        "United Kingdom: done",
    ]


# -- themes: their words per language live in data/themes.toml ------------------------------
def test_every_theme_is_written_in_spanish_and_french():
    from ogp.model.themes import load_themes_as_written

    missing = [
        f"{t.slug} [{lang}] {field}"
        for t in load_themes_as_written()
        for lang in LANGS
        for field in ("title", "short", "intro", "story")
        if getattr(t, field) and not t.text(field, lang)
    ]
    assert not missing, "add to data/themes.toml: " + ", ".join(missing)


def test_themes_follow_the_active_language():
    from ogp.model.themes import load_themes, theme_area_rows

    english = {t.slug: t for t in load_themes()}
    with i18n.using("fr"):
        french = {t.slug: t for t in load_themes()}
        rows_fr = theme_area_rows()
    assert french["anti-corruption"].title == "Lutter contre la corruption"
    assert english["anti-corruption"].title == "Fighting corruption"
    assert french["open-budgets"].story.startswith("Madrid")
    assert rows_fr == theme_area_rows()  # what the SQL matches on is the same in every language
    assert [t.policy_areas for t in french.values()] == [t.policy_areas for t in english.values()]


def test_theme_page_in_spanish():
    at = run_page("anti-corruption", lang="es")
    assert_clean(at)
    assert at.title[0].value == "Anticorrupción"
    assert "Compromisos destacados" in [h.value for h in at.main.subheader]
    assert any("Lutter" not in t and "frente a todos los compromisos" in t for t in chart_titles(at))


def test_member_page_in_french():
    at = run_page("pages/members.py", lang="fr", member="BRA")
    assert_clean(at)
    assert at.title[0].value == "Brésil"  # CLDR's name, not the export's "Brazil"
    assert "Engagements" in [h.value for h in at.main.subheader]
    assert any("Brésil face à tous les membres" in t for t in chart_titles(at))


def test_deck_in_french():
    at = run_page("pages/present.py", lang="fr", slide="1")
    assert_clean(at)
    assert at.title[0].value == "Partenariat pour un gouvernement ouvert"
    assert at.button(key="next").label == "Suivante"
    assert at.selectbox(key="deck-lang").value == "fr"  # the deck's own picker, in its bar
    assert at.button(key="prev").label == "Précédente"  # the bar: every slide number, no "Slide 1 of N"


def test_commitments_page_in_spanish_says_content_stays_as_written():
    at = run_page("pages/commitments.py", lang="es", id="GBR-2-5")
    assert_clean(at)
    assert "digital records" in at.title[0].value  # the commitment's own words, as written
    assert any("se muestran tal como están" in c.value for c in at.caption)
    assert "Buscar compromisos" in [h.value for h in at.header]


# -- the member brief (a downloaded HTML file) ------------------------------------------------
def brief_texts(page: str) -> list[str]:
    """The text a reader sees in a brief: its text nodes and its charts' accessible names."""
    from html.parser import HTMLParser

    class Texts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.out, self.skip = [], False

        def handle_starttag(self, tag, attrs):
            self.skip = tag == "style"
            self.out += [v for k, v in attrs if k == "aria-label" and v]

        def handle_endtag(self, tag):
            self.skip = False

        def handle_data(self, data):
            if not self.skip and data.strip():
                self.out.append(data.strip())

    parser = Texts()
    parser.feed(page)
    return parser.out


def test_brief_in_french():
    from ogp.app import ui
    from ogp.render import brief, views

    with i18n.using("fr"):
        store = ui.get_store()
        page = brief.brief_for(*views.member_brief(views.runner(store), "BRA"), extracts=store.extracts())
    assert '<html lang="fr">' in page
    assert "<h1>Brésil</h1>" in page  # CLDR's name, as on the member page
    texts = brief_texts(page)
    for words in ("Face à tous les membres", "Plans d'action", "Achèvement de ses engagements"):
        assert words in texts, words
    assert "Membre national · Amériques · statut\u00a0: actif" in texts
    assert "Action plans" not in texts and "Against all members" not in texts


def test_brief_has_no_text_outside_the_catalog():
    from ogp.app import ui
    from ogp.render import brief, views

    i18n.register("qps", Pseudo())
    try:
        with i18n.using("qps"):
            store = ui.get_store()  # IDN: the member with the most action plans
            page = brief.brief_for(*views.member_brief(views.runner(store), "IDN"), extracts=store.extracts())
    finally:
        i18n.unregister("qps")
    assert leaks(brief_texts(page), data_words()) == []


# Every page in one of the two languages in the default run (they alternate: the overview in
# Spanish, the map in French...); each page in the other language too with --slow.
@pytest.mark.parametrize(
    "page,lang",
    sweep(
        [(page, lang) for page in CONVERTED for lang in LANGS],
        lambda case: LANGS.index(case[1]) == CONVERTED.index(case[0]) % len(LANGS),
    ),
)
def test_every_page_in_spanish_and_french(page, lang):
    """Issue 14's check 'AppTest of every page in each language': the page runs without an
    exception in that language, and its heading is that language's word for it (a catalog
    translation, or the theme's own name in data/themes.toml), not the English one."""
    from ogp.model.themes import load_themes

    at = run_page(page, lang=lang)
    assert_clean(at)
    if at.title:
        heading = at.title[0].value
    else:  # /methodology is one Markdown document: its first line is the heading
        heading = next(m.value for m in at.markdown if m.value.startswith("# ")).splitlines()[0][2:]
    with i18n.using(lang):
        theme_names = {t.short for t in load_themes()}
    translations = {m.string for m in po(lang) if m.id and isinstance(m.string, str)}
    english = {m.id for m in po(lang) if m.id and isinstance(m.id, str)}
    assert heading in translations | theme_names, (
        f"{page} in {lang}: heading {heading!r} is not a translation"
    )
    assert heading not in english - translations, f"{page} in {lang}: heading {heading!r} is English"
