"""Export layouts as data (data/layouts.toml): files written in each variant staff meet in real
OGP and IRM exports import with the same rows as their clean original.

Variants: columns renamed (other years' names, underscores, case, punctuation), a row of group
labels above the header, a totals row (`Sum`) in any column, rows without their trailing empty
fields, other spellings of country names, and a 2015-style combined IRM database generated here
from the legacy explorer table. The clean originals are the bundled exports, imported once.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogp.data import ingest
from ogp.data.formats import KINDS, FormatError, LayoutFileError, load_layouts, loose, read_export

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
CURRENT = RAW / "g0v_ogp-commitments" / "open_parliament_0703.csv"
LEGACY = RAW / "Vizzuality_ogp" / "explorer" / "data" / "latest_data" / "ogpirm_live_data.csv"


def records(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write(path: Path, recs, final_line_end: bool = True) -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(recs)
    text = buf.getvalue()
    path.write_text(text if final_line_end else text.rstrip("\r\n"), encoding="utf-8", newline="")
    return path


def import_one(path: Path, base: Path) -> tuple[pd.DataFrame, dict]:
    result = ingest.import_files([path], "2030-01-01", base)
    return pd.read_parquet(result.target / "commitments.parquet"), result.manifest


def same_rows(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """The same commitments, whatever the file name and row positions."""

    def comparable(frame):
        return frame.drop(columns=["source_file", "source_row"]).sort_values("key").reset_index(drop=True)

    pd.testing.assert_frame_equal(comparable(got), comparable(want))


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, tuple[pd.DataFrame, dict]]:
    """kind -> (commitments, manifest) of the clean original."""
    out = {}
    for kind, path in (("current", CURRENT), ("legacy", LEGACY)):
        out[kind] = import_one(path, tmp_path_factory.mktemp(kind))
    return out


def rename(recs: list[list[str]], h: int, names: dict[str, str]) -> list[list[str]]:
    recs = [list(r) for r in recs]
    recs[h] = [names.get(c, c) for c in recs[h]]
    return recs


# ----------------------------------------------------------------------------- header matching


def test_tolerant_keys():
    assert loose("Comm_No") == loose("comm no") == loose(" COMM-NO. ")
    assert loose("Environment & Climate") == loose("environment and climate")
    assert loose("Côte d'Ivoire") == loose("Cote d’Ivoire")
    assert loose("_Specificity") != loose("Specificity")  # the IRM's coded column stays apart
    layout = KINDS["current"]
    assert layout.match("action_plan_no.") == ("Action Plan Number", "tolerant alias")
    assert layout.match("Completion (Progress Report)") == ("Completion (Progress Report)", "exact")
    assert layout.match("completion  (progress report)") == ("Completion (Progress Report)", "case/spacing")
    assert layout.match("COMPLETION_PROGRESS_REPORT") == ("Completion (Progress Report)", "tolerant")
    assert layout.match("Actual Completion") == ("Completion (Progress Report)", "alias")
    assert layout.match("_SPECIFICITY.") == ("_Specificity", "tolerant")
    assert layout.match("Short Title 中文") == (None, "")


def test_every_layout_is_recognised_from_its_own_columns(tmp_path):
    """Each layout of the file, written as a header with one data row of its required columns,
    is recognised as itself: no two layouts claim the same file."""
    for layout in KINDS.values():
        header = list(layout.columns)
        t = read_export(write(tmp_path / f"{layout.name}.csv", [header, ["1"] * len(header)]))
        assert t.layout.name == layout.name


def test_a_new_layout_is_an_edit_to_the_file(tmp_path):
    """A Spanish-language export: one more [[layout]] in the TOML, no code."""
    extra = """
[[layout]]
name = "es"
label = "exportación en español"
extends = "legacy"
signature = ["Country", "Action Plan Number", "Comm No", "Commitment Title"]

[layout.aliases]
"Country" = ["País"]
"Action Plan Number" = ["Número de plan de acción"]
"Comm No" = ["Número de compromiso"]
"Commitment Title" = ["Título del compromiso"]
"Year of submission" = ["Año de presentación"]
"""
    toml = tmp_path / "layouts.toml"
    toml.write_text((ROOT / "data" / "layouts.toml").read_text(encoding="utf-8") + extra, encoding="utf-8")
    layouts, _ = load_layouts(toml)
    spanish = {
        "Country": "País",
        "Action Plan Number": "Número de plan de acción",
        "Comm No": "Número de compromiso",
        "Commitment Title": "Título del compromiso",
        "Year of submission": "Año de presentación",
    }
    path = write(tmp_path / "es.csv", rename(records(LEGACY)[1:30], 0, spanish))
    with pytest.raises(FormatError, match="not a recognised OGP export"):
        read_export(path)
    t = read_export(path, layouts)
    assert t.layout.name == "es" and len(t.rows) == 28
    bad = tmp_path / "bad.toml"
    bad.write_text(toml.read_text(encoding="utf-8").replace('"Year of submission" = ["Año', '"Año" = ["Año'))
    with pytest.raises(LayoutFileError, match="names columns it does not list"):
        load_layouts(bad)


# ----------------------------------------------------------------------------- variants


CURRENT_RENAMES = {
    "Country/Locality": "Country",
    "Action Plan Number": "Action_Plan_No.",
    "Commitment Number": "Comm No",
    "Completion (Progress Report)": "Actual Completion",
    "Potential Impact": "Pot Impact",
    "Year Of Submission": "YEAR OF SUBMISSION",
    "Commitment Title": "commitment_title",
    "Did It Open Government (Overall)": "Did it open government? (overall)",
}
LEGACY_RENAMES = {
    "Country": "Country/Locality",
    "Action Plan Number": "AP",
    "Comm No": "Comm_No",
    "Completion (progress report)": "Actual Completion",
    "Potential impact": "Potential Impact",
    "Year of submission": "Year_Of_Submission",
    "IRM Assessed (Y/N)?": "irm assessed y n",
}


@pytest.mark.parametrize("kind", ["current", "legacy"])
def test_renamed_columns(kind, clean, tmp_path):
    h = 0 if kind == "current" else 1
    recs = rename(
        records(CURRENT if kind == "current" else LEGACY),
        h,
        CURRENT_RENAMES if kind == "current" else LEGACY_RENAMES,
    )
    got, m = import_one(write(tmp_path / "renamed.csv", recs), tmp_path / "d")
    assert m["counts"] == clean[kind][1]["counts"]
    same_rows(got, clean[kind][0])


def group_labels(header: list[str]) -> list[str]:
    """A row of group labels above the header, as in the combined IRM databases."""
    labels = [""] * len(header)
    for name, label in (
        ("Anti-Corruption and Integrity", "Public Integrity Measures"),
        ("Anti-corruption", "Public Integrity Measures"),
        ("Fiscal Openness", "Fiscal Openness"),
        ("Specificity", "IRM assessment"),
        ("Completion (Progress Report)", "Completion"),
        ("Completion (progress report)", "Completion"),
    ):
        if name in header:
            labels[header.index(name)] = label
    return labels


@pytest.mark.parametrize("kind", ["current", "legacy"])
def test_group_label_row_above_the_header(kind, clean, tmp_path):
    recs = records(CURRENT if kind == "current" else LEGACY)
    if kind == "legacy":
        recs = recs[1:]  # the index row gives way to the group labels
    recs = [group_labels(recs[0])] + recs
    got, m = import_one(write(tmp_path / "groups.csv", recs), tmp_path / "d")
    assert m["counts"] == clean[kind][1]["counts"]
    same_rows(got, clean[kind][0])


@pytest.mark.parametrize("kind", ["current", "legacy"])
def test_totals_row_in_any_column(kind, clean, tmp_path):
    """`Sum` under the title column, the tag columns summed, in the middle and at the end."""
    h = 0 if kind == "current" else 1
    recs = records(CURRENT if kind == "current" else LEGACY)
    header, body = recs[h], recs[h + 1 :]
    layout = KINDS[kind]
    totals = [""] * len(header)
    totals[header.index("Commitment Title")] = "Sum"
    for tag in layout.tags:
        totals[header.index(tag)] = str(sum(r[header.index(tag)] == "1" for r in body))
    grand = list(totals)
    grand[header.index("Commitment Title")] = ""
    grand[header.index("Full Text")] = "Grand total:"
    recs = recs[: h + 1] + body[:100] + [totals] + body[100:] + [grand]
    got, m = import_one(write(tmp_path / "totals.csv", recs), tmp_path / "d")
    assert m["counts"] == clean[kind][1]["counts"]
    assert any("dropped 2 totals row(s) (data row 101, " in w for w in m["warnings"])
    same_rows(got, clean[kind][0])


def test_rows_without_trailing_empty_fields(clean, tmp_path):
    """Every row stops at its last value (a sheet saved by a spreadsheet program), no final line end."""
    recs = records(LEGACY)
    trimmed = []
    for r in recs:
        r = list(r)
        while r and not r[-1]:
            r.pop()
        trimmed.append(r)
    assert len({len(r) for r in trimmed}) > 1
    got, m = import_one(write(tmp_path / "trimmed.csv", trimmed, final_line_end=False), tmp_path / "d")
    assert m["counts"] == clean["legacy"][1]["counts"]
    same_rows(got, clean["legacy"][0])


def test_country_spellings(clean, tmp_path):
    spellings = {
        "USA": "United States of America",
        "Macedonia": "Republic of North Macedonia",
        "South Korea": "Republic of Korea",
        "UK": "United Kingdom",
        "Slovakia": "Slovak Republic",
        "Czech Republic": "Czech Republic",
    }
    recs = records(LEGACY)
    recs = recs[:2] + [[spellings.get(r[0], r[0])] + r[1:] for r in recs[2:]]
    got, m = import_one(write(tmp_path / "spelled.csv", recs), tmp_path / "d")
    assert m["counts"] == clean["legacy"][1]["counts"]
    # member names come from members.csv, so the rows are the same
    same_rows(got, clean["legacy"][0])
    # Côte d'Ivoire with and without its accent and with a typographic apostrophe
    ivory = [recs[1]] + [["Côte d'Ivoire"] + recs[2][1:], ["Cote d’Ivoire", "2"] + recs[3][2:]]
    got, _ = import_one(write(tmp_path / "civ.csv", ivory), tmp_path / "civ")
    assert set(got.member_code) == {"CIV"} and set(got.action_plan) == {1, 2}


# ----------------------------------------------------------------------------- 2015-style database


IRM2015_RENAMES = {
    "Action Plan Number": "Action Plan Number",
    "Comm No": "Commitment Number",
    "Country": "Country/Locality",
    "Completion (progress report)": "Completion (Progress Report)",
    "Potential impact": "Pot Impact",
}


def irm2015(with_number: bool = True) -> list[list[str]]:
    """The legacy table as a 2015-style combined IRM database: a case number first, other header
    names, a row of group labels above the header instead of the index row, 0/1 tags."""
    recs = records(LEGACY)[1:]
    header = [IRM2015_RENAMES.get(c, c) for c in recs[0]]
    out = [["Case No."] + header] + [[str(i)] + r for i, r in enumerate(recs[1:], start=1)]
    if not with_number:
        j = out[0].index("Commitment Number")
        out = [r[:j] + r[j + 1 :] for r in out]
    return [[""] + group_labels(recs[0])] + out


def test_2015_style_irm_database(clean, tmp_path):
    path = write(tmp_path / "IRM database 2015.csv", irm2015())
    t = read_export(path)
    assert t.layout.name == "irm2015" and t.kind == "legacy"
    assert {m["header"]: m["how"] for m in t.matched}["Pot Impact"] == "alias"
    tags = KINDS["irm2015"].tags
    assert {r[c] for _, r in t.rows for c in tags} == {"0", "1", "NR"}  # NR: a tag never coded
    got, m = import_one(path, tmp_path / "d")
    assert m["counts"] == clean["legacy"][1]["counts"]
    same_rows(got, clean["legacy"][0])


# The column groups of a combined IRM database, each over its first..last column (the tags, then
# the IRM's assessment), as a spreadsheet's merged cells are written to CSV: the label over
# every column of its group (`filled`) or over the first only.
COLUMN_GROUPS = (
    ("Public Integrity Measures", "Anti-corruption", "Whistleblower Protections"),
    ("Fiscal Openness", "Fiscal Openness", "Social Audits"),
    ("Citizen Engagement", "Public Participation", "Open Data"),
    ("Sectors", "Elections & Political Finance", "Marginalized Communities"),
    ("IRM Assessment", "Specificity", "Starred (current formula) end of term"),
)


def column_groups(header: list[str], filled: bool) -> list[str]:
    row = [""] * len(header)
    for label, first, last in COLUMN_GROUPS:
        lo = header.index(IRM2015_RENAMES.get(first, first))
        hi = header.index(IRM2015_RENAMES.get(last, last))
        for j in range(lo, hi + 1 if filled else lo + 1):
            row[j] = label
    return row


@pytest.mark.parametrize("filled", [False, True], ids=["first-cell", "filled"])
@pytest.mark.parametrize("with_number", [True, False], ids=["numbered", "numbers-in-titles"])
def test_combined_database_with_a_group_header_row(clean, tmp_path, filled, with_number):
    """A 2015 combined IRM database whose first row names column groups ("Public Integrity
    Measures", "Fiscal Openness", ...) above the real header imports under the combined layout
    (it was refused as a legacy explorer table missing Comm No)."""
    recs = irm2015(with_number)[1:]  # the header and the rows, without the fixture's own labels
    path = write(tmp_path / "OGP IRM database 2015.csv", [column_groups(recs[0], filled)] + recs)
    t = read_export(path)
    assert (t.layout.name, t.header_row, t.above) == ("irm2015", 2, [(1, "group labels")])
    got, m = import_one(path, tmp_path / "d")
    assert (
        m["counts"]
        == clean["legacy"][1]["counts"]
        == {"commitments": 1927, "members": 61, "action_plans": 100}
    )
    assert m["report"]["files"][0]["layout"] == "irm2015"
    if with_number:
        same_rows(got, clean["legacy"][0])
    else:  # the same commitments; their numbers from the titles (previous test)
        ids = ["member_code", "action_plan", "title"]
        pd.testing.assert_frame_equal(
            got[ids].sort_values(ids).reset_index(drop=True),
            clean["legacy"][0][ids].sort_values(ids).reset_index(drop=True),
        )


def test_2015_database_without_commitment_numbers_reads_them_from_titles(clean, tmp_path):
    got, m = import_one(write(tmp_path / "irm.csv", irm2015(with_number=False)), tmp_path / "d")
    assert m["counts"] == clean["legacy"][1]["counts"]
    assert any("commitment numbers read from the start of titles" in w for w in m["warnings"])
    numbers = got.title.str.extract(r"^\s*(\d{1,3}(?:\.\d{1,3})*)\s*[.:)]?\s+\S")[0]
    assert (got.commitment_no.fillna("?") == numbers.fillna("?")).all()
    assert numbers.notna().sum() > 1000  # most titles of the explorer table start with their number

    def comparable(frame):
        rest = frame.drop(columns=["commitment_no", "key", "source_file"])
        return rest.sort_values(["member_code", "source_row"]).reset_index(drop=True)

    pd.testing.assert_frame_equal(comparable(got), comparable(clean["legacy"][0]))


# ----------------------------------------------------------------------------- real unseen exports

# Real OGP/IRM files the dashboard does not bundle, byte-exact (or byte-exact prefixes of their
# first records), with their provenance in tests/data/real/SOURCES.md. Every count below was
# computed from the raw file with pandas; the tests recompute it the same way.
REAL = Path(__file__).resolve().parent / "data" / "real"
COMBINED_2015 = REAL / "Combined_Database_1_-_Sheet1___edition20150515__COPY.first-400.csv"
EXPLORER_2016 = REAL / "ogpirm_data_for_testing.first-300.csv"
TRANSLATED_2024 = REAL / "open_parliament_0703_translated.first-30.csv"
PROCESS_2015 = REAL / "Process_Database_for_web_new_version__20150514.csv"
TITLE_NUMBER = r"^\s*\d{1,3}(?:\.\d{1,3})*\s*[.:)]?\s+\S"


def test_real_2015_combined_database_with_its_group_header_row(tmp_path):
    """The IRM's combined database of May 2015: a row of column groups ("Public Integrity
    Measures", "Fiscal Openness", ...) above a header that starts '000 Case No.', no Comm No and
    no year column. It was refused as a legacy explorer table missing Comm No."""
    raw = pd.read_csv(COMBINED_2015, header=1, dtype=str, keep_default_na=False)
    assert (len(raw), raw.Country.nunique(), len(raw[["Country", "Action Plan No."]].drop_duplicates())) == (
        400,
        11,
        17,
    )
    t = read_export(COMBINED_2015)
    assert (t.layout.name, t.kind, t.header_row, t.above) == ("irm2015", "legacy", 2, [(1, "group labels")])
    got, m = import_one(COMBINED_2015, tmp_path / "d")
    assert m["counts"] == {"commitments": 400, "members": 11, "action_plans": 17}
    assert m["report"]["files"][0]["layout"] == "irm2015"
    # the tags of 2015 under their later names, with the file's own 0/1 values
    for tag, column, n in (
        ("Fiscal Openness", "Budget Transparency", 59),
        ("Public Service Delivery", "Public Service Delivery Improvement", 27),
        ("Sub-national", "Sub-national governance", 25),
        ("Open Data", "Open Data", 48),
    ):
        assert (
            got.policy_areas.map(lambda a, tag=tag: tag in list(a)).sum() == (raw[column] == "1").sum() == n
        )
    completion = got.completion_midterm.value_counts().to_dict()
    assert completion == {
        "Complete": 91,
        "Limited": 71,
        "Substantial": 41,
        "Not Started": 24,
        "Unclear": 4,
        "Withdrawn": 3,
    }
    assert got.completion_midterm.isna().sum() == (raw["Actual Completion"] == "NR").sum() == 166
    # numbers from the titles ("1. Open data portal"); no year column: years unknown, not invented
    assert got.commitment_no.notna().sum() == raw["Commitment Title"].str.match(TITLE_NUMBER).sum() == 372
    assert got.year_submitted.isna().all()
    assert any("'Year of submission'" in w and "absent" in w for w in m["warnings"])
    # its "Starred" is the pre-June 2014 formula, not the current one: no star is counted
    assert got.starred.isna().all() and (raw["Starred"] == "1").sum() == 81


def test_real_2015_combined_database_saved_as_xlsx_imports_the_same(tmp_path):
    """As the IRM's staff hold it: a workbook whose group labels sit in merged cells (the first
    cell holds the label) and whose numbers are numbers."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for rec in records(COMBINED_2015):
        ws.append([float(v) if re.fullmatch(r"-?\d+(\.\d+)?", v) else v for v in rec])
    ws.merge_cells("H1:L1")  # Public Integrity Measures over Anti-Corruption..Whistleblower Protections
    xlsx = tmp_path / "Combined Database 2015.xlsx"
    wb.save(xlsx)
    from_csv, _ = import_one(COMBINED_2015, tmp_path / "a")
    from_xlsx, m = import_one(xlsx, tmp_path / "b")
    assert m["counts"] == {"commitments": 400, "members": 11, "action_plans": 17}
    assert m["report"]["files"][0]["layout"] == "irm2015"
    same_rows(from_xlsx, from_csv)


def test_real_2016_explorer_table_reads_its_marked_up_header(tmp_path):
    """The explorer table of 2016 (data_to_export): '<br/>Public Service Delivery' is the tag."""
    raw = pd.read_csv(EXPLORER_2016, header=1, dtype=str, keep_default_na=False)
    got, m = import_one(EXPLORER_2016, tmp_path / "d")
    assert m["counts"] == {"commitments": 300, "members": 7, "action_plans": 12}
    assert raw.Country.nunique() == 7 and len(raw[["Country", "Action Plan No"]].drop_duplicates()) == 12
    served = got.policy_areas.map(lambda a: "Public Service Delivery" in list(a)).sum()
    assert served == (raw["<br/>Public Service Delivery"] == "1").sum() == 10
    assert not [w for w in m["warnings"] if "Public Service Delivery" in w]


def test_real_translated_current_export_is_the_same_commitments(clean, tmp_path):
    """g0v's translated copy of the 2024 export: two Chinese columns and a nameless one between
    them; its commitments are the bundled export's, value for value."""
    got, m = import_one(TRANSLATED_2024, tmp_path / "d")
    assert m["counts"] == {"commitments": 30, "members": 13, "action_plans": 26}
    assert any("ignored 2 translation column(s)" in w for w in m["warnings"])
    want = clean["current"][0]
    want = want[want.ogp_id.isin(got.ogp_id)]
    assert len(want) == 30
    pd.testing.assert_frame_equal(
        got.drop(columns=["source_file", "key"]).sort_values("ogp_id").reset_index(drop=True),
        want.drop(columns=["source_file", "key"]).sort_values("ogp_id").reset_index(drop=True),
    )


def test_the_combined_layout_knows_every_spelling_of_the_legacy_one():
    """Otherwise a combined database using a legacy spelling scores higher as a legacy table and
    is refused for the legacy table's required Comm No (issue 24, item 7)."""
    legacy, combined = KINDS["legacy"], KINDS["irm2015"]
    assert set(legacy.columns) <= set(combined.columns)
    for column, names in legacy.aliases.items():
        assert set(names) <= set(combined.aliases.get(column, ())), column
    assert set(combined.required) < set(legacy.required)  # the combined one asks for less


def test_real_2015_process_database_is_refused_with_its_reason():
    """One row per country and no plan number: which plan a row describes cannot be told."""
    with pytest.raises(FormatError) as exc:
        read_export(PROCESS_2015)
    assert str(exc.value) == (
        "looks like the IRM process database of 2015 (one row per country, no action plan number) "
        "but misses required column(s): Action Plan Number"
    )


# ----------------------------------------------------------------------------- property


def _sample(kind: str) -> tuple[int, list[list[str]]]:
    recs = records(CURRENT if kind == "current" else LEGACY)
    h = 0 if kind == "current" else 1
    body = recs[h + 1 :]
    return h, recs[: h + 1] + body[:: len(body) // 30][:30]


SAMPLES = {kind: _sample(kind) for kind in ("current", "legacy")}
_WANT: dict[str, pd.DataFrame] = {}  # the clean sample's rows, imported once
SEPARATORS = [" ", "  ", "_", "-", ".", " _ "]


@st.composite
def respelled(draw, name: str) -> str:
    """The same column name as another export might spell it: case, separators, punctuation, padding."""
    coded = name.startswith("_")
    words = re.findall(r"[^\W_]+|[^\w\s]", name[1:] if coded else name)
    sep = draw(st.sampled_from(SEPARATORS))
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title, str.swapcase]))
    keep_punct = draw(st.booleans())
    parts = [w for w in words if keep_punct or w.isalnum()]
    text = case(sep.join(parts)) or name
    pad = draw(st.sampled_from(["", " ", "\t", "  "]))
    return f"{pad}{'_' if coded else ''}{text}{pad[::-1]}"


@settings(
    max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
@given(kind=st.sampled_from(["current", "legacy"]), data=st.data())
def test_header_spelling_never_changes_the_result(kind, data, tmp_path_factory):
    h, recs = SAMPLES[kind]
    header = recs[h]
    new = [data.draw(respelled(c), label=c) if c else c for c in header]
    tmp = tmp_path_factory.mktemp("spelling")
    if kind not in _WANT:
        _WANT[kind] = import_one(write(tmp / "clean.csv", recs), tmp / "a")[0]
    want = _WANT[kind]
    got, m = import_one(write(tmp / "respelled.csv", recs[:h] + [new] + recs[h + 1 :]), tmp / "b")
    same_rows(got, want)
    assert not [w for w in m["warnings"] if "unknown column" in w or "absent" in w]
