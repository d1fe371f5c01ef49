"""The importer: raw OGP exports -> canonical snapshots (docs/DATA.md).

The bundled snapshots are rebuilt with exactly these commands (test_rebuild_equals_committed
checks that the committed ones are what they produce):

    python -m ogp import data/raw/g0v_ogp-commitments/open_parliament_0703.csv --as-of 2024-07-06 --replace \
        --scope "commitments on open parliaments and legislation"
    python -m ogp import data/raw/Vizzuality_ogp/explorer/data/latest_data/ogpirm_live_data.csv \
        data/raw/Vizzuality_ogp/explorer/data/latest_data/ogp_irm__OGP_Process_Database_July_2016__VERSION_TWO__modified_by_miska_04.csv \
        --as-of 2017-03-30 --replace \
        --scope "commitments of the action plans the IRM had assessed (plans submitted 2011–2014)"

Both are extracts (`--scope`): the 2024 file is g0v's export filtered to parliament and legislation
topics; the 2017 file is the IRM explorer's whole table, which holds only the action plans the IRM
had assessed (25 members had a newer plan, submitted 2015-2016, that it lacks: see SCOPE_2017).

Figures are pinned against counts computed here independently from the raw CSVs with pandas.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ogp.cli import main
from ogp.data import ingest, mappers
from ogp.data.formats import FormatError, read_export
from ogp.model.scales import SCALES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
CURRENT = RAW / "g0v_ogp-commitments" / "open_parliament_0703.csv"
LATEST = RAW / "Vizzuality_ogp" / "explorer" / "data" / "latest_data"
LEGACY = LATEST / "ogpirm_live_data.csv"
PROCESS = LATEST / "ogp_irm__OGP_Process_Database_July_2016__VERSION_TWO__modified_by_miska_04.csv"
BAD = Path(__file__).resolve().parent / "data" / "bad"
# What the bundled exports cover (the --scope of the commands above; the manifests record it).
SCOPE_2024 = "commitments on open parliaments and legislation"
SCOPE_2017 = "commitments of the action plans the IRM had assessed (plans submitted 2011–2014)"
MISSING = ["ND", "NR", "NA", ""]
# legacy name -> current name (SOURCES.md), written out here, independently of data/members.csv
RENAMED = {
    "UK": "United Kingdom",
    "USA": "United States",
    "Macedonia": "North Macedonia",
    "South Korea": "Republic of Korea",
    "Slovakia": "Slovak Republic",
}


# ----------------------------------------------------------------------------- helpers


def raw_current() -> pd.DataFrame:
    return pd.read_csv(CURRENT, dtype=str, keep_default_na=False)


def raw_legacy() -> pd.DataFrame:
    return pd.read_csv(LEGACY, dtype=str, keep_default_na=False, header=1)


def raw_process() -> pd.DataFrame:
    p = pd.read_csv(PROCESS, dtype=str, keep_default_na=False, header=2)
    return p[p["Action Plan Number"].str.fullmatch(r"\d+")]


def records(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_records(path: Path, recs, delimiter=",", encoding="utf-8", errors="strict") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(recs)
    path.write_bytes(buf.getvalue().encode(encoding, errors=errors))
    return path


def read_snapshot(folder: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_parquet(folder / f"{name}.parquet")
        for name in ("commitments", "members", "action_plans")
    }


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def import_current(tmp_path: Path, path: Path, as_of="2030-01-01") -> Path:
    base = tmp_path / "d"
    ingest.import_files([path], as_of, base)
    return base / "snapshots" / as_of


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Both bundled snapshots rebuilt from data/raw into a temporary data dir."""
    base = tmp_path_factory.mktemp("rebuilt")
    ingest.import_files([CURRENT], "2024-07-06", base, scope=SCOPE_2024)
    ingest.import_files([LEGACY, PROCESS], "2017-03-30", base, scope=SCOPE_2017)
    return base / "snapshots"


@pytest.fixture(scope="module")
def cur(built) -> dict[str, pd.DataFrame]:
    return read_snapshot(built / "2024-07-06")


@pytest.fixture(scope="module")
def leg(built) -> dict[str, pd.DataFrame]:
    return read_snapshot(built / "2017-03-30")


# ----------------------------------------------------------------------------- value mapping


@pytest.mark.parametrize(
    "scale,raw,level",
    [
        ("completion", "a. Not started", "Not Started"),
        ("completion", "a. Not Started", "Not Started"),
        ("completion", "b. Limited", "Limited"),
        ("completion", "c. Substantial", "Substantial"),
        ("completion", "d. Complete", "Complete"),
        ("completion", "Complete", "Complete"),
        ("completion", "Withdrawn", "Withdrawn"),
        ("completion", "Unclear", "Unclear"),
        ("specificity", "None", "None"),
        ("specificity", "a. low", "Low"),
        ("specificity", "b. medium", "Medium"),
        ("specificity", "c. high", "High"),
        ("potential_impact", "Transformative", "Transformative"),
        ("potential_impact", "None", "None"),
        ("potential_for_results", "Modest", "Modest"),
        ("early_results", "No notable results", "No notable results"),
        ("diog", "b. None", "Did Not Change"),
        ("diog", "c. Marginal", "Marginal"),
        ("diog", "d. Major", "Major"),
        ("diog", "Did Not Change", "Did Not Change"),
        ("diog", "Outstanding", "Outstanding"),
        ("diog", "No early results to report yet", None),
        ("iap2", "Collaborate", "Collaborate"),
    ],
)
def test_scale_levels(scale, raw, level):
    assert mappers.to_level(raw, scale) == (level, True)


def test_every_canonical_level_maps_to_itself():
    for scale, levels in SCALES.items():
        for lvl in levels:
            assert mappers.to_level(lvl, scale) == (lvl, True)
            assert mappers.to_level(f"x. {lvl.lower()}", scale) == (lvl, True)


@pytest.mark.parametrize("marker", ["ND", "NR", "NA", "", "  ", "N/A"])
def test_missing_markers_are_null(marker):
    assert mappers.clean(marker) is None
    assert mappers.to_level(marker, "completion") == (None, True)
    assert mappers.to_flag(marker) is None
    assert mappers.to_int(marker) is None


def test_unknown_level_is_reported_not_invented():
    assert mappers.to_level("Unclear", "potential_impact") == (None, False)
    assert mappers.to_level("Sort of", "completion") == (None, False)


def test_text_cleaning():
    assert mappers.clean("4.20 Centre<br/>") == "4.20 Centre"
    assert mappers.clean("a<br/> b") == "a\nb"
    assert mappers.to_int("2012.0") == 2012
    with pytest.raises(ValueError):
        mappers.to_int("twenty twelve")


def test_commitment_number_float_artefacts():
    assert mappers.commitment_number("4.0999999999999996") == ("4.1", "4.0999999999999996")
    assert mappers.commitment_number("8.3000000000000007") == ("8.3", "8.3000000000000007")
    assert mappers.commitment_number("2.10") == ("2.10", None)
    assert mappers.commitment_number("1.1.") == ("1.1.", None)
    assert mappers.commitment_number("NA") == (None, None)


def test_key_repair_needs_the_title_to_prove_it():
    assert mappers.repaired_number("1.1", "1.10 Development of a methodology") == "1.10"
    assert mappers.repaired_number("2.2", "2.20. Participatory Audits") == "2.20"
    assert mappers.repaired_number("4.2", "4.20 Centre for Integrity") == "4.20"
    assert mappers.repaired_number("1.1", "1.1.a. Introduction of a unified payment system") is None
    assert mappers.repaired_number("1.1", "1.12 Something else") is None
    assert mappers.repaired_number("1.1", "Perfeccionamiento de la Ley") is None
    assert mappers.repaired_number("3", "30 days") is None


def test_country_aliases_resolve_to_the_current_codes():
    m = mappers.Members.load(DATA)
    expected = {
        "UK": "GBR",
        "United Kingdom": "GBR",
        "USA": "USA",
        "United States": "USA",
        "Macedonia": "MKD",
        "North Macedonia": "MKD",
        "South Korea": "KOR",
        "Republic of Korea": "KOR",
        "Slovakia": "SVK",
        "Slovak Republic": "SVK",
        "Côte d'Ivoire": "CIV",
        "Cote d'Ivoire": "CIV",
        "Kosovo": "XKX",
        "Tanzania": "TZA",
    }
    assert {name: m.code_for(name) for name in expected} == expected


def test_members_csv_is_complete():
    members = pd.read_csv(DATA / "members.csv", dtype=str, keep_default_na=False)
    assert members.member_code.is_unique
    assert (members.source != "").all()
    assert set(members.region) == {"Europe", "Asia and the Pacific", "Africa and the Middle East", "Americas"}
    assert set(members.status) <= {"active", "inactive", "suspended", "withdrawn"}
    # every member code of the current export, every legacy country
    assert set(raw_current().Code) <= set(members.member_code)
    m = mappers.Members.load(DATA)
    assert all(m.code_for(c) for c in set(raw_legacy().Country) | set(raw_process()["Country name"]))
    national = members[members.kind == "national"]
    assert (national.iso3 == national.member_code).all()
    local = members[members.kind == "local"]
    assert set(local.member_code) == {"ARBA", "MXJL", "ESMD", "GBSC", "PHSC", "NGKD", "GETB"}
    assert (local.lat != "").all() and (local.lon != "").all()
    status = dict(zip(members.member_code, members.status))
    assert (status["HUN"], status["TZA"], status["TUR"], status["AZE"]) == (
        "withdrawn",
        "withdrawn",
        "withdrawn",
        "suspended",
    )
    assert "RUS" not in status


# ----------------------------------------------------------------------------- format detection


def test_each_real_file_is_recognised_by_content(tmp_path):
    assert read_export(CURRENT).kind == "current"
    assert read_export(LEGACY).kind == "legacy"
    p = read_export(PROCESS)
    assert p.kind == "process" and len(p.rows) == 116
    assert any("blank" in w for w in p.warnings) and any("repeated header" in w for w in p.warnings)
    # names do not matter
    renamed = tmp_path / "export.txt"
    shutil.copy(LEGACY, renamed)
    assert read_export(renamed).kind == "legacy"


def test_legacy_without_index_row_and_with_preamble(tmp_path):
    recs = records(LEGACY)
    no_index = read_export(write_records(tmp_path / "a.csv", recs[1:]))
    assert no_index.kind == "legacy" and len(no_index.rows) == 1927
    preamble = [["OGP explorer download"], []] + recs[1:40]
    t = read_export(write_records(tmp_path / "b.csv", preamble))
    assert t.kind == "legacy" and len(t.rows) == 38


def test_current_with_bom_semicolons_and_cp1252(tmp_path):
    recs = records(CURRENT)[:30]
    for name, kw in [
        ("bom.csv", {"encoding": "utf-8-sig"}),
        ("semi.csv", {"delimiter": ";"}),
        ("tab.csv", {"delimiter": "\t"}),
        ("win.csv", {"encoding": "cp1252", "errors": "replace"}),
    ]:
        t = read_export(write_records(tmp_path / name, recs, **kw))
        assert t.kind == "current" and len(t.rows) == 29, name
    assert any("cp1252" in w for w in read_export(tmp_path / "win.csv").warnings)
    assert any("delimiter" in w for w in read_export(tmp_path / "semi.csv").warnings)


def test_recoverable_oddities_are_warnings(tmp_path):
    recs = records(CURRENT)[:21]
    header = recs[0]
    zh = [h + " (中文)" for h in ("Commitment Title", "Full Text")]
    extended = [header + zh + ["Notes", ""]] + [r + ["標題", "內容", "n", ""] for r in recs[1:]]
    rows = extended[1:]
    total = ["Total"] + [""] * (len(header) + 3)
    odd = [extended[0]] + rows[:5] + [[""] * len(extended[0]), extended[0]] + rows[5:] + [[], total]
    t = read_export(write_records(tmp_path / "odd.csv", odd))
    assert len(t.rows) == 20
    text = " | ".join(t.warnings)
    for fragment in (
        "2 translation column(s)",
        "1 unknown column(s): 'Notes'",
        "blank row",
        "repeated header row",
        "totals row",
    ):
        assert fragment in text, fragment
    snap = import_current(tmp_path, tmp_path / "odd.csv")
    m = manifest(snap)
    assert m["counts"]["commitments"] == 20
    assert any("translation column" in w for w in m["warnings"])


def test_g0v_translation_layout(tmp_path, cur):
    """g0v's translated file puts `Short Title 中文`, an unnamed column and `Full Text 中文` among
    the columns (open_parliament_0703翻譯.csv): ignored with warnings, same snapshot otherwise."""
    recs = records(CURRENT)
    h = recs[0]
    st, ft = h.index("Short Title"), h.index("Full Text")

    def widen(rec, zh1, blank, zh2):
        return rec[: st + 1] + [zh1] + rec[st + 1 : ft + 1] + [blank, zh2] + rec[ft + 1 :]

    out = [widen(h, "Short Title 中文", "", "Full Text 中文")]
    out += [widen(r, "電子法案", f"{r[0]} 電子法案", "內容") for r in recs[1:]]
    (tmp_path / "t").mkdir()
    snap = import_current(tmp_path, write_records(tmp_path / "t" / CURRENT.name, out))
    warnings = " | ".join(manifest(snap)["warnings"])
    assert "2 translation column(s): 'Short Title 中文', 'Full Text 中文'" in warnings
    assert "1 column(s) without a header that hold data" in warnings
    pd.testing.assert_frame_equal(read_snapshot(snap)["commitments"], cur["commitments"])


# ----------------------------------------------------------------------------- counts, pinned


def test_current_counts(cur, built):
    raw = raw_current()
    c, m, ap = cur["commitments"], cur["members"], cur["action_plans"]
    assert len(c) == len(raw) == 558
    assert len(m) == raw.Code.nunique() == 75
    assert len(ap) == raw["Action Plan ID"].nunique() == 214
    assert manifest(built / "2024-07-06")["counts"] == {
        "commitments": 558,
        "members": 75,
        "action_plans": 214,
    }
    assert c.key.is_unique and c.ogp_id.is_unique
    assert set(c.ogp_id) == set(raw["Commitment Unique Identifier"])
    assert (ap.n_commitments.sum(), (ap.n_commitments > 0).all()) == (558, True)
    assert m.kind.value_counts().to_dict() == {"national": 68, "local": 7}


def test_current_figures(cur):
    raw, c = raw_current(), cur["commitments"]
    rated = raw[~raw["Completion (End Of Term)"].isin(MISSING)]
    high = rated["Completion (End Of Term)"].isin(["Substantial", "Complete"]).sum()
    assert (high, len(rated)) == (193, 343)
    assert c.completion_end.notna().sum() == 343
    assert c.completion_end.isin(["Substantial", "Complete"]).sum() == 193
    # the IRM's star formula, end of term else progress report (not `Star - Most Recently
    # Assessed`, 70: this test used to pin it); null where the formula was not applied
    end, mid = raw["Starred (Current Formula) End of Term"], raw["Starred (Current Formula) Progress Report"]
    applied = end.isin(["0", "1"]) | mid.isin(["0", "1"])
    assert (c.starred.eq(True).sum(), c.starred.notna().sum()) == (36, applied.sum()) == (36, 235)
    assert c.starred.sum() == (raw["Max star"] == "1").sum()  # OGP's own summary column agrees
    assert c.set_index("ogp_id").starred["ES0001"]  # Spain's first commitment is a star
    for col, raw_col in [
        ("completion_midterm", "Completion (Progress Report)"),
        ("potential_impact", "Potential Impact"),
        ("specificity", "Specificity"),
        ("potential_for_results", "Potential for Results"),
        ("early_results", "Early Results"),
    ]:
        expected = raw.loc[~raw[raw_col].isin(MISSING), raw_col].value_counts().to_dict()
        assert c[col].value_counts().to_dict() == expected, col
    diog = raw["Did It Open Government (Overall)"]
    expected = diog[~diog.isin(MISSING + ["No early results to report yet"])].value_counts().to_dict()
    assert c.diog.value_counts().to_dict() == expected
    assert (
        c.policy_areas.map(len).sum()
        == (raw.loc[:, "Anti-Corruption and Integrity":"Money in Politics"] == "1").sum().sum()
    )
    assert (
        c.year_submitted.astype(str)
        == raw.set_index("Commitment Unique Identifier").loc[c.ogp_id, "Year Of Submission"].to_numpy()
    ).all()


def test_legacy_counts(leg, built):
    raw, proc = raw_legacy(), raw_process()
    c, m, ap = leg["commitments"], leg["members"], leg["action_plans"]
    assert len(c) == len(raw) == 1927
    assert len(m) == raw.Country.nunique() == 61
    pairs = {(RENAMED.get(a, a), b) for a, b in zip(raw.Country, raw["Action Plan Number"])}
    ppairs = {(RENAMED.get(a, a), b) for a, b in zip(proc["Country name"], proc["Action Plan Number"])}
    assert len(pairs) == 100 and len(ppairs) == 116
    assert len(ap) == len(pairs | ppairs) == 117
    assert (ap.n_commitments == 0).sum() == len(ppairs - pairs) == 17
    assert ap.n_commitments.sum() == 1927
    assert (
        ap.steps_followed.notna().sum() == (~proc["_Number of steps followed (out of 6)"].isin(MISSING)).sum()
    )
    assert (
        ap.iap2_development.value_counts().to_dict()
        == proc.loc[~proc["IAP2 level during development"].isin(MISSING), "IAP2 level during development"]
        .value_counts()
        .to_dict()
    )
    assert ap.self_assessment_published.sum() == (proc["_Self assessment published"] == "1").sum()
    assert c.key.is_unique and c.ogp_id.isna().all()
    assert "UK" not in set(c.member_code) and {"GBR", "USA", "MKD", "KOR", "SVK"} <= set(c.member_code)
    assert m.region.notna().all()
    assert manifest(built / "2017-03-30")["counts"] == {
        "commitments": 1927,
        "members": 61,
        "action_plans": 117,
    }


def test_legacy_figures(leg):
    raw, c = raw_legacy(), leg["commitments"]
    col = raw["Completion (progress report)"]
    rated = col[~col.isin(MISSING)]
    assert len(rated) == 1856
    assert rated.isin(["c. Substantial", "d. Complete"]).sum() == 511 + 435 == 946
    assert c.completion_midterm.notna().sum() == 1856
    assert c.completion_midterm.value_counts()[["Substantial", "Complete"]].tolist() == [511, 435]
    assert (c.completion_midterm == "Not Started").sum() == col.str.lower().eq("a. not started").sum()
    assert c.specificity.value_counts().to_dict() == {"High": 726, "Medium": 677, "Low": 409, "None": 46}
    assert c.diog.value_counts().to_dict() == {"Marginal": 25, "Did Not Change": 22, "Major": 7}
    assert c.potential_impact.isna().sum() == raw["Potential impact"].isin(MISSING + ["Unclear"]).sum()
    assert c.irm_assessed.sum() == (raw["IRM Assessed (Y/N)?"] == "1").sum()


def test_keys_repaired_and_disambiguated(cur, leg, built):
    c, lg = cur["commitments"], leg["commitments"]
    by_id = dict(zip(c.ogp_id, c.key))
    assert (by_id["CL0005"], by_id["CL0006"]) == ("CHL-1-2.1", "CHL-1-2.1~2")
    keys = set(lg.key)
    for k in (
        "BRA-2-1.10",
        "BRA-2-2.10",
        "BRA-2-2.20",
        "BRA-2-3.10",
        "SLV-2-2.10",
        "MKD-2-1.10",
        "MKD-2-3.10",
        "NOR-2-4.10",
        "NOR-2-4.20",
    ):
        assert k in keys, k
    # the legacy 2.10 (repaired from 2.1) is CL0006, so it takes CL0006's key (ogp/data/matching.py)
    row = lg.loc[lg.key == "CHL-1-2.1~2"].iloc[0]
    assert (row.commitment_no, row["match"]) == ("2.10", "number")
    assert row.title.startswith("2.10 Proyecto de Ley sobre Partidos")
    # Bulgaria's 1st plan reuses 1..5: both kept, unique
    assert {"BGR-1-1", "BGR-1-1~2", "BGR-1-5~2"} <= keys
    assert {"NOR-1-_", "NOR-1-_~5"} <= keys
    warnings = " | ".join(manifest(built / "2017-03-30")["warnings"])
    assert "repaired 10 commitment number(s)" in warnings and "reused within a plan" in warnings


def test_keys_in_both_snapshots_are_the_matched_pairs(cur, leg):
    """A key shared by the two snapshots is a pair the matcher made (tests/test_matching.py and
    tests/test_recompute.py check which); the 2024 rows never change key."""
    c, lg = cur["commitments"], leg["commitments"]
    shared = set(c.key) & set(lg.key)
    assert shared == set(lg.key[lg["match"].isin(["id", "number", "title"])])
    assert (c["match"] == "none").all()  # imported first: nothing to match against
    committed = read_snapshot(DATA / "snapshots" / "2024-07-06")["commitments"]
    assert (c.key == committed.key).all()
    both = c.set_index("key").loc[sorted(shared)]
    assert (both.member_code == lg.set_index("key").loc[sorted(shared)].member_code).all()


# ----------------------------------------------------------------------------- rebuild, variants


def test_rebuild_equals_committed(built):
    for as_of in ("2024-07-06", "2017-03-30"):
        committed, rebuilt = DATA / "snapshots" / as_of, built / as_of
        assert sorted(p.name for p in committed.iterdir()) == sorted(p.name for p in rebuilt.iterdir())
        for name, frame in read_snapshot(rebuilt).items():
            pd.testing.assert_frame_equal(frame, read_snapshot(committed)[name], obj=f"{as_of}/{name}")
        m1, m2 = manifest(committed), manifest(rebuilt)
        for field in (
            "schema_version",
            "as_of",
            "synthetic",
            "scope",
            "counts",
            "sources",
            "warnings",
            "report",
        ):
            assert m1[field] == m2[field], (as_of, field)
        import pyarrow.parquet as pq

        meta = pq.read_metadata(committed / "commitments.parquet").metadata or {}
        assert not any(b"created" in k or b"time" in k for k in meta), "no timestamps inside parquet"


def _without_row_numbers(frame):
    return frame.drop(columns=["source_row"]).sort_values("key").reset_index(drop=True)


def test_shuffled_rows_give_the_same_snapshot(tmp_path, cur):
    recs = records(LEGACY)
    body = recs[2:]
    random.Random(7).shuffle(body)
    (tmp_path / "s").mkdir()
    # matched against the 2024 snapshot, as the bundled one was
    shutil.copytree(DATA / "snapshots" / "2024-07-06", tmp_path / "d" / "snapshots" / "2024-07-06")
    snap = read_snapshot(
        import_current(tmp_path, write_records(tmp_path / "s" / LEGACY.name, recs[:2] + body))
    )
    committed = read_snapshot(DATA / "snapshots" / "2017-03-30")
    pd.testing.assert_frame_equal(
        _without_row_numbers(snap["commitments"]), _without_row_numbers(committed["commitments"])
    )
    recs = records(CURRENT)
    body = recs[1:]
    random.Random(3).shuffle(body)
    snap = read_snapshot(
        import_current(tmp_path / "c", write_records(tmp_path / "s" / CURRENT.name, [recs[0]] + body))
    )
    pd.testing.assert_frame_equal(
        _without_row_numbers(snap["commitments"]), _without_row_numbers(cur["commitments"])
    )
    pd.testing.assert_frame_equal(snap["action_plans"], cur["action_plans"])


def test_totals_row_semicolons_cp1252(tmp_path, cur):
    recs = records(CURRENT)
    totals = ["Total", "", "", "", "558"] + [""] * (len(recs[0]) - 5)
    path = write_records(
        tmp_path / "export;.csv", recs + [totals], delimiter=";", encoding="cp1252", errors="replace"
    )
    snap = import_current(tmp_path, path)
    m = manifest(snap)
    assert m["counts"] == {"commitments": 558, "members": 75, "action_plans": 214}
    assert any("totals row" in w for w in m["warnings"]) and any("cp1252" in w for w in m["warnings"])
    assert set(read_snapshot(snap)["commitments"].key) == set(cur["commitments"].key)


def write_without_final_line_end(path: Path, recs) -> Path:
    """As Excel and LibreOffice save a sheet whose last cells are empty: the last row stops at
    its last value, and no line break ends the file."""
    *body, last = recs
    while last and not last[-1].strip():
        last = last[:-1]
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(body + [last])
    path.write_bytes(buf.getvalue().rstrip("\r\n").encode("utf-8"))
    return path


def test_short_last_row_without_line_break_is_complete(tmp_path, capsys):
    """The last row lacks only its trailing empty fields: imported (a warning), same snapshot."""
    recs = records(LEGACY)
    assert len(recs[-1]) == 108 and recs[-1][-4:] == ["", "", "", ""]
    path = write_without_final_line_end(tmp_path / "legacy.csv", recs)
    assert not path.read_bytes().endswith(b",") and len(records(path)[-1]) < 108
    # matched against the 2024 snapshot, as the bundled one was
    shutil.copytree(DATA / "snapshots" / "2024-07-06", tmp_path / "d" / "snapshots" / "2024-07-06")
    code, out, err = run(
        ["import", str(path), "--as-of", "2017-03-30", "--data-dir", str(tmp_path / "d")], capsys
    )
    assert code == 0 and err == "", err
    snap = tmp_path / "d" / "snapshots" / "2017-03-30"
    assert manifest(snap)["counts"]["commitments"] == 1927
    assert any("lacks" in w and "trailing field" in w for w in manifest(snap)["warnings"])
    committed = read_snapshot(DATA / "snapshots" / "2017-03-30")["commitments"]
    got = read_snapshot(snap)["commitments"]
    pd.testing.assert_frame_equal(got.drop(columns="source_file"), committed.drop(columns="source_file"))


def test_short_last_row_in_a_current_export(tmp_path):
    """A current export whose last columns are mostly empty (a `Notes` column added by staff):
    its last row may stop early; missing fields that usually hold data still mean a cut file."""
    recs = [r + (["checked"] if 20 <= i < 25 else [""]) for i, r in enumerate(records(CURRENT)[:31])]
    recs[0][-1] = "Notes"
    t = read_export(write_without_final_line_end(tmp_path / "a.csv", recs))
    assert len(t.rows) == 30 and any("trailing field" in w for w in t.warnings)
    cut = records(CURRENT)[:31]
    cut[-1] = cut[-1][: cut[0].index("URL")]
    with pytest.raises(FormatError, match="looks truncated: the last row"):
        read_export(write_without_final_line_end(tmp_path / "b.csv", cut))


def test_xlsx_import(tmp_path):
    """The Google sheet downloaded as .xlsx: first sheet, numbers stored as numbers. (A slice of
    the export keeps the test fast: openpyxl reads the full sheet in about 4 s.)"""
    openpyxl = pytest.importorskip("openpyxl")
    recs = records(CURRENT)[:151]
    header = recs[0]
    numeric = {"Action Plan Number", "Year Of Submission", "Action Plan End Year", "id"}
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("OGP Commitments Data")
    ws.append(header)
    for rec in recs[1:]:
        row = []
        for h, v in zip(header, rec):
            if (h in numeric or h == "Commitment Number") and v.isdigit():
                v = int(v)
            elif h == "Commitment Number" and len(v) > 8 and v.replace(".", "", 1).isdigit():
                v = float(v)  # 4.0999999999999996: a number in the sheet
            row.append(v)
        ws.append(row)
    wb.create_sheet("Notes").append(["not data"])
    wb.save(tmp_path / "commitments.xlsx")
    from_xlsx = read_snapshot(import_current(tmp_path / "x", tmp_path / "commitments.xlsx"))
    from_csv = read_snapshot(
        import_current(tmp_path / "c", write_records(tmp_path / "commitments.csv", recs))
    )
    assert len(from_xlsx["commitments"]) == 150
    assert from_xlsx["commitments"].commitment_no.str.contains("99999|00000").sum() == 0
    for name in ("commitments", "members", "action_plans"):
        pd.testing.assert_frame_equal(
            from_xlsx[name].drop(columns=["source_file"], errors="ignore"),
            from_csv[name].drop(columns=["source_file"], errors="ignore"),
        )


# ----------------------------------------------------------------------------- refusals

# file in tests/data/bad -> what the one-line error must say
BAD_FILES = {
    "empty.csv": "is empty",
    "blank_lines.csv": "is empty",
    "logo.png": "not a CSV or XLSX file (a PNG image)",
    "image_named.csv": "not a CSV or XLSX file (a PNG image)",
    "junk.csv": "not a CSV or XLSX file (binary data)",
    "page.csv": "HTML page",
    "data.json": "JSON",
    "json_named.csv": "JSON",
    "truncated_quote.csv": "truncated",
    "truncated_row.csv": "truncated",
    "truncated_legacy.csv": "the last row (line 7) has 6 of 108 fields and no line end",
    "missing_columns.csv": "misses required column(s): Code, Commitment Number",
    "duplicate_id.csv": "Commitment Unique Identifier AL0002 appears twice with different content",
    "bad_year.csv": "Year Of Submission 'twenty twelve' is not a year",
    "bad_plan_number.csv": "Action Plan Number 'first' is not a whole number",
    "not_ogp.csv": "not a recognised OGP export",
    "archive.xlsx": "ZIP archive, not an XLSX workbook",
    "damaged.xlsx": "damaged or truncated",
    "legacy_unknown_country.csv": "country 'Atlantis' is not in members.csv",
    "process_only.csv": "no commitments export",
    "tags_only.csv": "not a recognised OGP export",
    "totals_only.csv": "has a current OGP commitments export header but no data rows",
    "irm2015_no_country.csv": "looks like the combined IRM database (2015 style) but misses required column(s): Country",
    "irm2015_cut.csv": "looks truncated: the last row (line 7) has 8 of 109 fields and no line end",
}


def test_bad_corpus_is_complete():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(BAD_FILES)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A data dir holding one earlier snapshot, which must stay byte-identical."""
    base = tmp_path / "data"
    shutil.copytree(DATA / "snapshots" / "2017-03-30", base / "snapshots" / "2017-03-30")
    shutil.copy(DATA / "members.csv", base / "members.csv")
    return base


def assert_refused(argv, fragment, base, capsys):
    before = tree_hashes(base)
    code, out, err = run(argv, capsys)
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in err + out
    assert tree_hashes(base) == before
    assert sorted(p.name for p in (base / "snapshots").iterdir()) == ["2017-03-30"]
    return lines[0]


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_refused(name, data_dir, capsys):
    line = assert_refused(
        ["import", str(BAD / name), "--as-of", "2030-01-01", "--data-dir", str(data_dir)],
        BAD_FILES[name],
        data_dir,
        capsys,
    )
    assert name in line


REAL = Path(__file__).resolve().parent / "data" / "real"  # real unseen exports (SOURCES.md there)


def test_real_2015_process_database_is_refused_by_the_cli(data_dir, capsys):
    """One row per country, no plan number: one error line that says so, nothing written."""
    path = REAL / "Process_Database_for_web_new_version__20150514.csv"
    line = assert_refused(
        ["import", str(CURRENT), str(path), "--as-of", "2030-01-01", "--data-dir", str(data_dir)],
        "IRM process database of 2015 (one row per country, no action plan number) but misses "
        "required column(s): Action Plan Number",
        data_dir,
        capsys,
    )
    assert path.name in line


def test_real_2015_combined_database_imports_beside_the_bundled_snapshot(data_dir, capsys):
    """The combined database of May 2015 (refused before as a legacy table missing Comm No)
    imports next to the 2017 snapshot, its commitments matched to the 2017 keys where they are
    the same commitments; the 2017 snapshot is untouched."""
    path = REAL / "Combined_Database_1_-_Sheet1___edition20150515__COPY.first-400.csv"
    before = tree_hashes(data_dir / "snapshots" / "2017-03-30")
    code, out, err = run(["import", str(path), "--as-of", "2015-05-15", "--data-dir", str(data_dir)], capsys)
    assert code == 0, err
    assert "combined IRM database (2015 style)" in out and "imported 400 commitments from 11 members" in out
    assert tree_hashes(data_dir / "snapshots" / "2017-03-30") == before
    got = pd.read_parquet(data_dir / "snapshots" / "2015-05-15" / "commitments.parquet")
    old = pd.read_parquet(data_dir / "snapshots" / "2017-03-30" / "commitments.parquet")
    raw = pd.read_csv(path, header=1, dtype=str, keep_default_na=False)
    # the same (country, plan, title) in both files: the same key
    raw_2017 = raw_legacy()
    both = set(zip(raw.Country, raw["Action Plan No."], raw["Commitment Title"].str.strip())) & set(
        zip(raw_2017.Country, raw_2017["Action Plan Number"], raw_2017["Commitment Title"].str.strip())
    )
    assert len(both) == 349
    shared = got.merge(old, on=["member_code", "action_plan", "title"], suffixes=("", "_2017"))
    unique = shared.groupby(["member_code", "action_plan", "title"]).filter(lambda g: len(g) == 1)
    assert len(unique) == 351
    # 8 miss today: Canada's and Croatia's sub-numbered rows, whose 2015 number read from the title
    # ("1. Open Government Directive: ...") is coarser than 2017's Comm No (1.1): ogp/data/matching.py
    # pairs them by that number. More may match one day, never fewer.
    assert (unique.key == unique.key_2017).sum() >= 343


def test_bad_arguments_are_refused(data_dir, capsys):
    d = ["--data-dir", str(data_dir)]
    assert_refused(
        ["import", str(CURRENT), "--as-of", "2030-02-30"] + d, "not a valid date", data_dir, capsys
    )
    assert_refused(["import", str(CURRENT), "--as-of", "30/01/2030"] + d, "YYYY-MM-DD", data_dir, capsys)
    assert_refused(
        ["import", str(LEGACY), "--as-of", "2017-03-30"] + d,
        "already exists (use --replace",
        data_dir,
        capsys,
    )
    assert_refused(
        ["import", str(BAD / "nothere.csv"), "--as-of", "2030-01-01"] + d, "no such file", data_dir, capsys
    )
    assert_refused(
        ["import", str(CURRENT), str(LEGACY), "--as-of", "2030-01-01"] + d,
        "one commitments export",
        data_dir,
        capsys,
    )


def test_unexpected_failure_is_one_line(data_dir, capsys, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(ingest, "write_parquet", boom)
    assert_refused(
        ["import", str(CURRENT), "--as-of", "2030-01-01", "--data-dir", str(data_dir)],
        "unexpected RuntimeError: disk on fire second line",
        data_dir,
        capsys,
    )
    assert not [p for p in (data_dir / "snapshots").iterdir() if p.name.startswith(".")]


def test_cli_subprocess_no_traceback(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ogp",
            "import",
            str(BAD / "page.csv"),
            "--as-of",
            "2030-01-01",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode != 0 and proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
    assert not (tmp_path / "snapshots").exists()


def test_replace_and_snapshots_listing(data_dir, capsys):
    d = ["--data-dir", str(data_dir)]
    earlier = tree_hashes(data_dir / "snapshots" / "2017-03-30")
    code, out, err = run(["import", str(CURRENT), "--as-of", "2024-07-06"] + d, capsys)
    assert code == 0 and err == "" and "558 commitments from 75 members, 214 action plans" in out
    first = manifest(data_dir / "snapshots" / "2024-07-06")
    code, out, _ = run(["import", str(CURRENT), "--as-of", "2024-07-06", "--replace"] + d, capsys)
    assert code == 0
    assert manifest(data_dir / "snapshots" / "2024-07-06")["counts"] == first["counts"]
    assert tree_hashes(data_dir / "snapshots" / "2017-03-30") == earlier
    assert sorted(p.name for p in (data_dir / "snapshots").iterdir()) == ["2017-03-30", "2024-07-06"]
    code, out, _ = run(["snapshots"] + d, capsys)
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("2017-03-30  1927 commitments  61 members  117 action plans")
    assert lines[1].startswith("2024-07-06  558 commitments  75 members  214 action plans")


def test_scope_complete_unless_an_extract_is_declared(tmp_path, capsys):
    d = ["--data-dir", str(tmp_path)]
    code, out, _ = run(["import", str(CURRENT), "--as-of", "2030-01-01"] + d, capsys)
    assert code == 0 and "scope: a complete export" in out
    assert manifest(tmp_path / "snapshots" / "2030-01-01")["scope"] == {"complete": True, "covers": None}
    code, out, _ = run(
        ["import", str(CURRENT), "--as-of", "2030-02-01", "--scope", f"  {SCOPE_2024} "] + d, capsys
    )
    assert code == 0 and f"scope: an extract: {SCOPE_2024}" in out
    assert manifest(tmp_path / "snapshots" / "2030-02-01")["scope"] == {
        "complete": False,
        "covers": SCOPE_2024,
    }
    code, out, _ = run(["snapshots"] + d, capsys)
    assert f"extract: {SCOPE_2024}" in out.splitlines()[1] and "extract" not in out.splitlines()[0]
    code, out, err = run(["import", str(CURRENT), "--as-of", "2030-03-01", "--scope", " "] + d, capsys)
    assert code == 1 and err.startswith("error: --scope: an extract's scope must say what it covers")
    assert not (tmp_path / "snapshots" / "2030-03-01").exists()


def test_the_2017_table_lacks_newer_plans_so_it_is_an_extract():
    # SCOPE_2017's reason, from the raw files: members with a plan submitted in 2015-2016 (in the
    # 2024 export) numbered above every plan the 2017 IRM table holds for them.
    cur, leg = raw_current(), raw_legacy()
    names = leg["Country"].map(lambda n: RENAMED.get(n, n))
    highest = pd.Series(leg["Action Plan Number"].astype(int).values, index=names).groupby(level=0).max()
    newer = cur[cur["Year Of Submission"].isin(["2015", "2016"])]
    plan = newer["Action Plan Number"].astype(int)
    lacking = newer[newer["Country/Locality"].isin(highest.index)]
    lacking = lacking[plan[lacking.index].to_numpy() > highest[lacking["Country/Locality"]].to_numpy()]
    assert lacking["Country/Locality"].nunique() == 25
    assert manifest(DATA / "snapshots" / "2017-03-30")["scope"] == {"complete": False, "covers": SCOPE_2017}
    assert manifest(DATA / "snapshots" / "2024-07-06")["scope"] == {"complete": False, "covers": SCOPE_2024}


def test_warnings_printed_on_stdout(tmp_path, capsys):
    code, out, err = run(
        ["import", str(LEGACY), str(PROCESS), "--as-of", "2017-03-30", "--data-dir", str(tmp_path)], capsys
    )
    assert code == 0 and err == ""
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert warnings and len(warnings) < 15
    assert [w[len("warning: ") :] for w in warnings] == manifest(tmp_path / "snapshots" / "2017-03-30")[
        "warnings"
    ]


# ----------------------------------------------------------------------------- dry run


def all_paths(folder: Path) -> dict[str, str]:
    """Every path under folder, hidden ones too -> sha256 of its bytes ("dir" for folders)."""
    return {
        str(p.relative_to(folder)): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
    }


def test_dry_run_reads_everything_and_writes_nothing(data_dir, capsys):
    d = ["--data-dir", str(data_dir)]
    before = all_paths(data_dir)
    code, out, err = run(
        ["import", str(LEGACY), str(PROCESS), "--as-of", "2030-01-01", "--dry-run"] + d, capsys
    )
    assert code == 0 and err == "", err
    assert "dry run: would import 1927 commitments from 61 members, 117 action plans" in out
    assert "nothing written" in out and "repaired 10 commitment number(s)" in out
    assert all_paths(data_dir) == before
    # the same import for real says the same, and writes
    assert "keys matched against 2017-03-30: " in out  # the earlier snapshot of the data dir
    code, real, _ = run(["import", str(LEGACY), str(PROCESS), "--as-of", "2030-01-01"] + d, capsys)
    assert code == 0 and (data_dir / "snapshots" / "2030-01-01" / "manifest.json").is_file()
    assert [x for x in out.splitlines() if x.startswith("warning")] == [
        x for x in real.splitlines() if x.startswith("warning")
    ]


def test_dry_run_into_an_empty_folder_creates_nothing(tmp_path, capsys):
    code, out, _ = run(
        ["import", str(CURRENT), "--as-of", "2030-01-01", "--dry-run", "--data-dir", str(tmp_path)], capsys
    )
    assert code == 0 and "would import 558 commitments" in out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_dry_run_refuses_what_the_import_refuses(name, data_dir, capsys):
    """The whole refusal corpus, with --dry-run: the same one line naming the file, nothing written."""
    line = assert_refused(
        ["import", str(BAD / name), "--as-of", "2030-01-01", "--dry-run", "--data-dir", str(data_dir)],
        BAD_FILES[name],
        data_dir,
        capsys,
    )
    assert name in line


def test_dry_run_of_an_existing_date_needs_replace(data_dir, capsys):
    d = ["--data-dir", str(data_dir)]
    assert_refused(
        ["import", str(LEGACY), "--as-of", "2017-03-30", "--dry-run"] + d, "already exists", data_dir, capsys
    )
    before = all_paths(data_dir)
    code, out, _ = run(["import", str(LEGACY), "--as-of", "2017-03-30", "--dry-run", "--replace"] + d, capsys)
    assert code == 0 and "would import 1927 commitments" in out
    assert all_paths(data_dir) == before


# ----------------------------------------------------------------------------- import report


def test_import_report_in_the_manifest(built):
    """Stored complete in manifest.json; its counts computed here from the raw files."""
    rep = manifest(built / "2017-03-30")["report"]
    legacy, process = rep["files"]
    raw, proc = raw_legacy(), pd.read_csv(PROCESS, dtype=str, keep_default_na=False, header=2)
    assert (legacy["file"], legacy["layout"], legacy["header_row"]) == (LEGACY.name, "legacy", 2)
    assert legacy["above_header"] == [{"line": 1, "what": "index row"}]
    assert legacy["columns"]["by"] == {"exact": 98} and legacy["columns"]["other_names"] == []
    assert legacy["rows"] == {"read": len(raw), "kept": 1927, "dropped": {}}
    ratings = {
        "specificity": "Specificity",
        "potential_impact": "Potential impact",
        "completion_midterm": "Completion (progress report)",
        "completion_end": "Completion (end of term)",
    }
    for field, column in ratings.items():
        unclear = raw[column].eq("Unclear").sum() if field == "potential_impact" else 0
        assert legacy["ratings"][field]["missing"] == raw[column].isin(MISSING).sum() + unclear, field
        assert legacy["ratings"][field]["of"] == 1927
    assert legacy["values_not_understood"] == {
        "Potential impact": {"scale": "potential_impact", "rows": 7, "examples": ["Unclear"]}
    }
    assert raw["Potential impact"].eq("Unclear").sum() == 7
    (repair,) = legacy["keys_repaired"]
    assert repair["rows"] == 10 and "BRA-2 1.1 -> 1.10" in repair["examples"]
    assert legacy["members_not_recognised"] == []
    blank = (proc == "").all(axis=1).sum()
    above = records(PROCESS)[:3]  # index row, group labels, header
    repeated = sum(list(row) in above for row in proc.itertuples(index=False))
    assert process["rows"] == {
        "read": len(proc),
        "kept": 116,
        "dropped": {"blank": blank, "repeated header": repeated},
    }
    assert process["above_header"] == [{"line": 1, "what": "index row"}, {"line": 2, "what": "group labels"}]
    iap2 = raw_process()["IAP2 level during development"]
    assert process["ratings"]["iap2_development"]["missing"] == iap2.isin(MISSING).sum()
    assert rep["warnings"] == manifest(built / "2017-03-30")["warnings"]
    current = manifest(built / "2024-07-06")["report"]["files"][0]
    assert current["layout"] == "current" and current["rows"]["kept"] == 558
    completion = raw_current()["Completion (End Of Term)"]
    assert current["ratings"]["completion_end"]["missing"] == completion.isin(MISSING).sum() == 215
    assert current["keys_repaired"][0]["rows"] == 19


def test_import_report_of_an_odd_file(tmp_path, capsys):
    """Other column names, a totals row, an unknown member code and a rating nobody can read:
    each is in the report, printed short and stored complete."""
    recs = records(CURRENT)[:41]
    h = recs[0]
    recs[0] = [
        {"Potential Impact": "Pot Impact", "Action Plan Number": "action_plan_number"}.get(c, c) for c in h
    ]
    recs[5][h.index("Code")] = "ZZZ"
    recs[7][h.index("Completion (End Of Term)")] = "Half done"
    total = [""] * len(h)
    total[h.index("Commitment Title")] = "Sum"
    path = write_records(tmp_path / "odd.csv", recs[:20] + [total] + recs[20:])
    code, out, err = run(
        ["import", str(path), "--as-of", "2030-01-01", "--data-dir", str(tmp_path / "d")], capsys
    )
    assert code == 0, err
    f = manifest(tmp_path / "d" / "snapshots" / "2030-01-01")["report"]["files"][0]
    assert {m["header"]: (m["column"], m["how"]) for m in f["columns"]["other_names"]} == {
        "Pot Impact": ("Potential Impact", "alias"),
        "action_plan_number": ("Action Plan Number", "tolerant"),
    }
    assert f["rows"] == {"read": 41, "kept": 40, "dropped": {"totals": 1}}
    assert f["members_not_recognised"][0]["code"] == "ZZZ"
    assert f["values_not_understood"]["Completion (End Of Term)"]["examples"] == ["Half done"]
    report = out.split("import report:\n", 1)[1].split("warning:", 1)[0]
    for fragment in (
        "odd.csv: current OGP commitments export (header on line 1)",
        "'Pot Impact' as Potential Impact",
        "rows: 41 read, 40 kept, dropped 1 totals",
        "members not in members.csv: ",
        "Completion (End Of Term) 1 row(s), e.g. 'Half done'",
        "missing ratings (of 40): ",
    ):
        assert fragment in report, fragment
    assert len(report.splitlines()) <= 10


def test_printed_report_is_short(tmp_path, capsys):
    code, out, _ = run(
        ["import", str(LEGACY), str(PROCESS), "--as-of", "2017-03-30", "--data-dir", str(tmp_path)], capsys
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "import report:" and len(lines) < 25
    assert all(len(line) < 250 for line in lines)
