"""Importer fuzzing (issue "Reliability and security").

A 40-row sample of each real export (current and legacy schema) is mutated by hypothesis —
columns dropped, renamed, shuffled; rows shuffled, duplicated, cut short; values replaced by
random text, NUL bytes, huge cells, emoji, absurd numbers; written as utf-8, utf-8-sig,
cp1252, utf-16 (with or without BOM) with `,` `;` or tab; cut short at a random byte — and
imported in-process through the CLI parser. Every run must end in one of two ways:

* exit 0 and a valid snapshot: the manifest counts are the parquet row counts, the parquet
  schemas are the canonical ones, keys are unique, the required columns are filled, every
  rating is a level of its scale (ogp/model/scales.py) or null, the earlier snapshots are untouched;
* exit != 0 with exactly one stderr line `error: ...` naming the file, no traceback, not the
  command's catch-all `unexpected <Exception>` (that is an importer crash in disguise), and
  the data dir byte-identical (every file hashed before and after).

Mutations that lose nothing (encoding, delimiter, line ends, quoting, row and column order,
arbitrary free text in text cells) must import, and give the same rows as the unmutated
sample; a file cut short must either be refused or give the rows of the sample up to the
cut. 250 derandomized examples (reproducible in CI): ~20 s of CPU, under a minute on a loaded
2-core machine; a failure notes the drawn mutations. `--hypothesis-show-statistics` shows how
the runs ended (imported / each kind of refusal). The bugs the fuzzer found are pinned by
test_fuzzer_findings_stay_fixed.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import random
import re
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, note, settings
from hypothesis import strategies as st

from ogp.cli import build_parser
from ogp.data import ingest, mappers, schema
from ogp.data.formats import CURRENT_COLUMNS, KINDS, LEGACY_COLUMNS
from ogp.model.scales import COLUMN_SCALE, levels

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
CURRENT = RAW / "g0v_ogp-commitments" / "open_parliament_0703.csv"
LEGACY = RAW / "Vizzuality_ogp" / "explorer" / "data" / "latest_data" / "ogpirm_live_data.csv"
AS_OF = "2030-01-01"  # date of every fuzzed import
EARLIER = {"current": "2024-07-06", "legacy": "2017-03-30"}  # the samples, imported once per module
SAMPLE_ROWS = 40

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def _records(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _sample() -> dict[str, tuple[int, list[list[str]]]]:
    """kind -> (header row index, records): 40 data rows spread over the whole export."""
    cur = _records(CURRENT)
    leg = _records(LEGACY)  # row 0: column indices, row 1: header
    step_c, step_l = (len(cur) - 1) // SAMPLE_ROWS, (len(leg) - 2) // SAMPLE_ROWS
    return {
        "current": (0, [cur[0]] + cur[1::step_c][:SAMPLE_ROWS]),
        "legacy": (1, leg[:2] + leg[2::step_l][:SAMPLE_ROWS]),
    }


def _cp1252_safe(recs: list[list[str]]) -> list[list[str]]:
    """Characters cp1252 cannot hold become `?`, so that every encoding can carry the sample unchanged."""
    return [[c.encode("cp1252", errors="replace").decode("cp1252") for c in r] for r in recs]


SAMPLE = {kind: (h, _cp1252_safe(recs)) for kind, (h, recs) in _sample().items()}
HEADERS = {kind: recs[h] for kind, (h, recs) in SAMPLE.items()}

# Columns worth aiming at: everything the mapping reads or needs.
RATING_COLUMNS = {
    "current": [
        "Specificity",
        "Potential Impact",
        "Completion (Progress Report)",
        "Completion (End Of Term)",
        "Potential for Results",
        "Early Results",
        "Did It Open Government (Overall)",
    ],
    "legacy": [
        "Specificity",
        "Potential impact",
        "Completion (progress report)",
        "Completion (end of term)",
        "Did it open government (end of term only)",
    ],
}
NUMBER_COLUMNS = {
    "current": [
        "Action Plan Number",
        "Commitment Number",
        "Year Of Submission",
        "Action Plan End Year",
        "_Relevant",
        "Verifiable",
        "Starred (Current Formula) End of Term",
        "IRM Assessed",
        "OGP Value Technology",
        "Open Data",
        "id",
    ],
    "legacy": [
        "Action Plan Number",
        "Comm No",
        "Year of submission",
        "_Relevant",
        "Value -Info",
        "Starred (current formula) end of term",
        "Starred (current formula) progress report",
        "IRM Assessed (Y/N)?",
        "Open Data",
        "Checksum",
    ],
}
KEY_COLUMNS = {
    "current": [
        "Commitment Unique Identifier",
        "Code",
        "Country/Locality",
        "Action Plan ID",
        "Region",
        "National Or Local",
    ],
    "legacy": ["Country"],
}
# raw text column -> snapshot field, for the lossless text property
TEXT_FIELDS = {
    "current": {
        "Commitment Title": "title",
        "Short Title": "short_title",
        "Full Text": "description",
        "Theme": "plan_theme",
        "Lead Institution": "lead_institution",
        "Supporting Institution(s)": "supporting_institutions",
        "Start Date": "start_date",
        "URL": "url",
    },
    "legacy": {
        "Commitment Title": "title",
        "Short Title": "short_title",
        "Full Text": "description",
        "Theme": "plan_theme",
        "Lead Institution": "lead_institution",
        "Supporting Institution(s)": "supporting_institutions",
        "End Date": "end_date",
    },
}
TARGETS = {
    k: RATING_COLUMNS[k]
    + NUMBER_COLUMNS[k]
    + KEY_COLUMNS[k]
    + list(TEXT_FIELDS[k])
    + list(KINDS[k]["required"])
    for k in SAMPLE
}
NAMES = [
    "export.csv",
    "open parliament 0703.csv",
    "données;2024 (copie).csv",
    "ögp ✓ export.txt",
    "two  spaces.csv",
    "commitments",
]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"]  # utf-16-le: no BOM
DELIMITERS = [",", ";", "\t"]

# ----------------------------------------------------------------------------- strategies

_chars = st.characters(blacklist_categories=("Cs",))
_clean_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
EMOJI = ["😀", "🇺🇦", "👩🏽‍💻", "\u200d", "\ufeff", "\u202e", "²", "٢٠١٢", "２０１２", "\u2028", "\x85"]

RATING_WORDS = [
    "None",
    "none",
    "Unclear",
    "b. limited",
    "z.  Complete ",
    "Did not change",
    "b. None",
    "No early results to report yet",
    "Withdrawn",
    "No Evidence Available",
    "Outstanding",
    "a.Low",
    "c. HIGH",
    "Substantial ",
    "Limited\nComplete",
    "Complète",
    "Major!",
    "Inform",
]
NUMBER_WORDS = [
    "0",
    "1",
    "-1",
    "1.0",
    "2012",
    "2012.0",
    " 2012 ",
    "2012.5",
    "1989",
    "2101",
    "+2014",
    "1e3",
    "1e400",
    "-0",
    "nan",
    "inf",
    "99",
    "100",
    "0.0",
    "4.0999999999999996",
    "1.10",
    "1.1.",
    "²",
    "³.¹",
    "٢٠١٢",
    "２０１２",
    "0x10",
    "1_000",
    "2012-01-01",
    "12/31/2012",
]
OTHER_WORDS = [
    "",
    " ",
    "ND",
    "NR",
    "N/A",
    "#N/A",
    "n/a",
    "Total",
    "Sum of all",
    "Grand total",
    "<br/>",
    "a<br>b",
    "\r\n",
    '"',
    "'",
    ",",
    ";",
    "\t",
    "=1+1",
    "@SUM(A1)",
    "Atlantis",
    "UK",
    "GBR",
    "XXXX",
    "AL0002",
    "\x00",
    "a\x00b",
    "<html>",
    "{}",
    "\ufeff",
]
huge = st.builds(
    lambda s, n: s * n,
    st.sampled_from(["x", "😀", "中文", "é", "a b\n", "\x00", ";", "9"]),
    st.sampled_from([1_000, 40_000, 150_000]),
)
long_numbers = st.builds(lambda d, n: d * n, st.sampled_from(["9", "1", "0", "²", "٣"]), st.integers(1, 6000))
VALUES = {
    "rating": st.one_of(st.sampled_from(RATING_WORDS), st.text(_chars, max_size=20)),
    "number": st.one_of(
        st.sampled_from(NUMBER_WORDS), long_numbers, st.text("0123456789.-+e ²٣", max_size=8)
    ),
    "any": st.one_of(st.text(_chars, max_size=30), st.sampled_from(OTHER_WORDS + EMOJI), huge),
}
GROUPS = {
    kind: {
        "rating": RATING_COLUMNS[kind],
        "number": NUMBER_COLUMNS[kind],
        "any": KEY_COLUMNS[kind] + list(TEXT_FIELDS[kind]),
    }
    for kind in RATING_COLUMNS
}
values = st.one_of(*VALUES.values())


def _pick_column(draw, kind: str, width: int) -> int:
    header = [c.strip() for c in HEADERS[kind]]
    if draw(st.booleans()):
        name = draw(st.sampled_from(TARGETS[kind]))
        if name in header:
            return header.index(name)
    return draw(st.integers(0, width - 1))


def _corrupt_cell(draw, kind: str, width: int) -> tuple[int, str]:
    """(column index, value): a column the mapping reads with a value aimed at its type, or any
    column with any value."""
    header = [c.strip() for c in HEADERS[kind]]
    group = draw(st.sampled_from(["rating", "number", "number", "any", "anywhere"]))
    if group == "anywhere":
        return draw(st.integers(0, width - 1)), draw(values)
    name = draw(st.sampled_from(GROUPS[kind][group]))
    j = header.index(name) if name in header else draw(st.integers(0, width - 1))
    return j, draw(st.one_of(VALUES[group], values) if group != "any" else VALUES["any"])


def mutate(draw, kind: str, recs: list[list[str]], h: int, ops: list[str]) -> list[list[str]]:
    """Apply the record-level mutations `ops` to a copy of recs (header at index h)."""
    recs = [list(r) for r in recs]
    for op in ops:
        width = max(len(r) for r in recs)
        data = range(h + 1, len(recs))
        if op == "drop_column":
            j = _pick_column(draw, kind, width)
            for r in recs:
                if j < len(r):
                    del r[j]
        elif op == "rename_column":
            j = _pick_column(draw, kind, width)
            new = draw(
                st.one_of(
                    st.text(_chars, max_size=20),
                    st.sampled_from(CURRENT_COLUMNS + LEGACY_COLUMNS),
                    st.sampled_from([" UPPER ", "lower", "padded", "zh"]),
                )
            )
            old = recs[h][j] if j < len(recs[h]) else ""
            new = {
                " UPPER ": f"  {old.upper()} ",
                "lower": old.lower(),
                "padded": f" {old}\t",
                "zh": f"{old} (中文)",
            }.get(new, new)
            while len(recs[h]) <= j:
                recs[h].append("")
            recs[h][j] = new
        elif op == "shuffle_rows":
            order = list(data)
            random.Random(draw(st.integers(0, 2**32))).shuffle(order)
            recs = recs[: h + 1] + [recs[i] for i in order]
        elif op == "shuffle_columns":
            order = list(range(width))
            random.Random(draw(st.integers(0, 2**32))).shuffle(order)
            recs = [[(r + [""] * (width - len(r)))[i] for i in order] for r in recs]
        elif op == "corrupt":
            for _ in range(draw(st.integers(1, 6))):
                i = draw(st.sampled_from(list(data)))
                j, value = _corrupt_cell(draw, kind, width)
                recs[i] = recs[i] + [""] * (j + 1 - len(recs[i]))
                recs[i][j] = value
        elif op == "duplicate_row":
            i = draw(st.sampled_from(list(data)))
            recs.insert(draw(st.integers(h + 1, len(recs))), list(recs[i]))
        elif op == "odd_row":
            row = draw(
                st.sampled_from(
                    [
                        [],
                        [""] * width,
                        list(recs[h]),
                        ["Total"] + [""] * (width - 1),
                        [str(i) for i in range(width)],
                    ]
                )
            )
            recs.insert(draw(st.integers(0, len(recs))), row)
        elif op == "ragged_row":
            i = draw(st.sampled_from(list(data)))
            n = draw(st.integers(0, width + 3))
            recs[i] = recs[i][:n] + [draw(values) for _ in range(max(0, n - len(recs[i])))]
        elif op == "drop_index_row" and kind == "legacy" and h == 1:
            recs, h = recs[1:], 0
    return recs


def serialise(
    recs: list[list[str]], encoding: str, delimiter: str, lineterminator: str, quoting: int
) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator, quoting=quoting).writerows(recs)
    text = buf.getvalue()
    if encoding == "cp1252":
        return text.encode("cp1252", errors="replace")
    return text.encode(encoding, errors="surrogatepass")


formats = st.fixed_dictionaries(
    {
        "encoding": st.sampled_from(["utf-8", "utf-8"] + ENCODINGS),
        "delimiter": st.sampled_from(DELIMITERS),
        "lineterminator": st.sampled_from(["\r\n", "\n"]),
        "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    }
)
lossless_formats = formats.filter(lambda f: f["encoding"] != "utf-16-le")  # no BOM: refused as binary

OPS = [
    "drop_column",
    "rename_column",
    "shuffle_rows",
    "shuffle_columns",
    "corrupt",
    "corrupt",
    "corrupt",
    "corrupt",
    "duplicate_row",
    "odd_row",
    "ragged_row",
    "drop_index_row",
]


@st.composite
def fuzzed_exports(draw):
    kind = draw(st.sampled_from(sorted(SAMPLE)))
    h, recs = SAMPLE[kind]
    ops = draw(st.lists(st.sampled_from(OPS), min_size=1, max_size=4))
    fmt = draw(formats)
    note(f"{kind} ops={ops} format={fmt}")
    data = serialise(mutate(draw, kind, recs, h, ops), **fmt)
    cut = None
    if draw(st.integers(0, 5)) == 0:
        cut = draw(st.integers(0, len(data)))
        data = data[:cut]
    if draw(st.integers(0, 11)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    note(f"cut={cut} bytes={len(data)}")
    return Case(kind, draw(st.sampled_from(NAMES)), data)


class Case:
    """A fuzzed file; its repr stays short however big the file is (the drawn mutations are noted)."""

    def __init__(self, kind: str, name: str, data: bytes):
        self.kind, self.name, self.data = kind, name, data

    def __repr__(self) -> str:
        return f"Case({self.kind!r}, {self.name!r}, <{len(self.data)} bytes>)"


# ----------------------------------------------------------------------------- running and checking

PARSER = build_parser()


def tree(folder: Path) -> dict[str, str]:
    """Every path under folder -> sha256 of its bytes ("dir" for folders)."""
    return {
        str(p.relative_to(folder)): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
    }


def run_import(files: list[Path], base: Path) -> tuple[int, str, str]:
    """`python -m ogp import FILES --as-of AS_OF --data-dir base`, in-process: (exit code, stdout, stderr).
    An exception escaping the command is a traceback the user would see: the test fails."""
    argv = ["import", *map(str, files), "--as-of", AS_OF, "--data-dir", str(base)]
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = PARSER.parse_args(argv)
            code = int(args.func(args) or 0)
    except BaseException:  # noqa: BLE001
        pytest.fail(f"the importer raised instead of refusing:\n{traceback.format_exc()}")
    return code, out.getvalue(), err.getvalue()


def read_table(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def check_snapshot(folder: Path, file: Path) -> dict[str, list[dict]]:
    """A valid snapshot; returns its tables as lists of dicts."""
    assert sorted(p.name for p in folder.iterdir()) == [
        "action_plans.parquet",
        "commitments.parquet",
        "manifest.json",
        "members.parquet",
    ]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    tables = {}
    for name in ("commitments", "members", "action_plans"):
        t = pq.read_table(folder / f"{name}.parquet")
        assert t.schema.remove_metadata().equals(schema.SCHEMAS[name]), name
        tables[name] = t.to_pylist()
        assert manifest["counts"][name] == len(tables[name]), name
    assert manifest["as_of"] == AS_OF and manifest["sources"][0]["file"] == file.name
    assert manifest["sources"][0]["rows"] >= len(tables["commitments"]) > 0
    assert all(isinstance(w, str) and "\n" not in w for w in manifest["warnings"])
    c = tables["commitments"]
    keys = [r["key"] for r in c]
    assert len(set(keys)) == len(keys), "keys not unique"
    for r in c:
        for col in (
            "key",
            "member_code",
            "member_name",
            "action_plan",
            "ap_id",
            "title",
            "source_schema",
            "source_file",
            "source_row",
            "irm_assessed",
            "policy_areas",
            "ogp_values",
        ):
            assert r[col] is not None, (col, r["key"])
        assert r["key"].startswith(f"{r['member_code']}-{r['action_plan']}-"), r["key"]
        assert r["source_file"] == file.name and r["source_schema"] in ("current", "legacy")
        for col, scale in COLUMN_SCALE.items():
            assert r[col] is None or r[col] in levels(scale, with_unordered=True), (col, r[col])
        for col in ("year_submitted", "ap_end_year"):
            assert r[col] is None or 1990 <= r[col] <= 2102, (col, r[col])
        assert 0 < r["action_plan"] < 100
    members = [m["member_code"] for m in tables["members"]]
    assert len(set(members)) == len(members) and {r["member_code"] for r in c} <= set(members)
    plans = [(p["member_code"], p["action_plan"]) for p in tables["action_plans"]]
    assert len(set(plans)) == len(plans)
    assert sum(p["n_commitments"] for p in tables["action_plans"]) == len(c)
    for p in tables["action_plans"]:
        for col in ("iap2_development", "iap2_implementation"):
            assert p[col] is None or p[col] in levels("iap2")
    return tables


def check_outcome(files: list[Path], base: Path) -> dict[str, list[dict]] | None:
    """Import files into base; assert the contract; return the new snapshot's tables or None if
    the import was refused. The new snapshot is removed in any case, so that every example starts
    from the same data dir."""
    before = tree(base)
    target = base / "snapshots" / AS_OF
    try:
        code, out, err = run_import(files, base)
        assert "Traceback" not in out + err
        if code == 0:
            assert err == "", err
            tables = check_snapshot(target, files[0])
            shutil.rmtree(target)
            assert tree(base) == before, "an earlier snapshot or another file changed"
            if currently_in_test_context():
                event("imported")
            return tables
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        assert any(f.name in lines[0] for f in files), f"the error does not name the file: {lines[0]}"
        assert "unexpected" not in lines[0], f"importer crash behind the catch-all: {lines[0]}"
        assert tree(base) == before, "a refused import changed the data dir"
        if currently_in_test_context():
            note(f"refused: {lines[0][:300]}")
            reason = lines[0].split(f"{files[0].name}: ", 1)[-1]
            event("refused: " + re.sub(r"'[^']*'|\d+", "_", reason)[:70])  # --hypothesis-show-statistics
        return None
    finally:
        shutil.rmtree(target, ignore_errors=True)


# ----------------------------------------------------------------------------- fixtures


def _write_sample(folder: Path, kind: str) -> Path:
    path = folder / f"{kind}.csv"
    path.write_bytes(serialise(SAMPLE[kind][1], "utf-8", ",", "\r\n", csv.QUOTE_MINIMAL))
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The data dir: members.csv and both samples imported once as earlier snapshots."""
    base = tmp_path_factory.mktemp("fuzzdata")
    shutil.copy(DATA / "members.csv", base / "members.csv")
    src = tmp_path_factory.mktemp("samples")
    for kind, as_of in EARLIER.items():
        ingest.import_files([_write_sample(src, kind)], as_of, base)
    return base


class Env:
    """The module's data dir, the unmutated samples' rows and a folder for the fuzzed file
    (one object with a short repr, so that hypothesis does not print the baseline on failure)."""

    def __init__(self, base: Path, inbox: Path):
        self.base, self.inbox = base, inbox
        # kind -> {source_row: commitment row} of the unmutated sample
        self.baseline = {
            kind: {r["source_row"]: r for r in read_table(base / "snapshots" / as_of / "commitments.parquet")}
            for kind, as_of in EARLIER.items()
        }

    def __repr__(self) -> str:
        return "env"


@pytest.fixture(scope="module")
def env(base, tmp_path_factory) -> Env:
    return Env(base, tmp_path_factory.mktemp("inbox"))


def put(env: Env, name: str, data: bytes) -> Path:
    for old in env.inbox.iterdir():
        old.unlink()
    path = env.inbox / name
    path.write_bytes(data)
    return path


def comparable(row: dict, drop=("source_row", "source_file", "key", "match", "links")) -> dict:
    # key, match and links also say how the row matched the data dir's earlier snapshots
    return {k: v for k, v in row.items() if k not in drop}


# ----------------------------------------------------------------------------- properties


@settings(FUZZ, max_examples=90)
@given(case=fuzzed_exports())
def test_any_mutation_is_imported_validly_or_refused_cleanly(case, env):
    check_outcome([put(env, case.name, case.data)], env.base)


@st.composite
def one_bad_cell(draw):
    """The sample with one cell of a column the mapping reads replaced by a value aimed at its type."""
    kind = draw(st.sampled_from(sorted(SAMPLE)))
    h, recs = SAMPLE[kind]
    recs = [list(r) for r in recs]
    group = draw(st.sampled_from(["rating", "number", "any"]))
    column = draw(st.sampled_from(GROUPS[kind][group]))
    value = draw(VALUES[group])
    i = draw(st.integers(h + 1, len(recs) - 1))
    recs[i][[c.strip() for c in recs[h]].index(column)] = value
    fmt = draw(formats)
    note(f"{kind} data row {i - h}: {column} = {value[:200]!r} (len {len(value)}) format={fmt}")
    return Case(kind, draw(st.sampled_from(NAMES)), serialise(recs, **fmt))


@settings(FUZZ, max_examples=70)
@given(case=one_bad_cell())
def test_one_bad_value_is_imported_validly_or_refused_cleanly(case, env):
    """One odd value in a column the mapping reads (rating, year, number, code, country, text)."""
    check_outcome([put(env, case.name, case.data)], env.base)


@st.composite
def lossless_exports(draw):
    kind = draw(st.sampled_from(sorted(SAMPLE)))
    h, recs = SAMPLE[kind]
    recs = [list(r) for r in recs]
    n = len(recs) - h - 1
    header = [c.strip() for c in recs[h]]
    edits = {}  # (original data row 1-based, snapshot field) -> value written
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(1, n))
        column = draw(st.sampled_from(sorted(TEXT_FIELDS[kind])))
        value = draw(
            st.text(_clean_chars, max_size=40)
            | st.sampled_from(EMOJI)
            | st.sampled_from(
                [
                    "Total transparency",
                    "Sum of the parts",
                    "Grand total reform",
                    "ND",
                    " padded ",
                    "a<br/>b",
                    "Commitment Title",
                    '=HYPERLINK("x")',
                    "line\nbreak",
                    '"quoted"',
                ]
            )
        )
        recs[h + i][header.index(column)] = value
        edits[(i, TEXT_FIELDS[kind][column])] = value
    order = draw(st.permutations(range(1, n + 1))) if draw(st.booleans()) else list(range(1, n + 1))
    cols = draw(st.permutations(range(len(header)))) if draw(st.booleans()) else list(range(len(header)))
    out = [recs[j] for j in range(h + 1)] + [recs[h + i] for i in order]
    out = [[r[j] for j in cols] for r in out]
    fmt = draw(lossless_formats)
    note(
        f"{kind} edits={edits} rows shuffled={order != sorted(order)} columns shuffled="
        f"{cols != sorted(cols)} format={fmt}"
    )
    return kind, order, edits, fmt, Case(kind, "", serialise(out, **fmt))


@settings(FUZZ, max_examples=40)
@given(case=lossless_exports(), name=st.sampled_from(NAMES))
def test_lossless_changes_give_the_same_rows(case, name, env):
    """Encoding, delimiter, line ends, quoting, row and column order and any free text in the text
    columns change nothing but that text: every row is kept, with the same values."""
    kind, order, edits, fmt, file = case
    tables = check_outcome([put(env, name, file.data)], env.base)
    assert tables is not None, "a lossless variant of a good export was refused"
    got = {r["source_row"]: r for r in tables["commitments"]}
    assert len(got) == len(order), "rows were lost or invented"
    for position, original in enumerate(order, start=1):
        want = dict(env.baseline[kind][original])
        for (i, field), value in edits.items():
            if i == original:
                if fmt["encoding"] == "cp1252":
                    value = value.encode("cp1252", errors="replace").decode("cp1252")
                want[field] = mappers.clean(value) or ("" if field == "title" else None)
        assert comparable(got[position]) == comparable(want), f"data row {position} (sample row {original})"
    if not edits:
        assert sorted(got[p]["key"] for p in got) == sorted(r["key"] for r in env.baseline[kind].values())


@settings(FUZZ, max_examples=50)
@given(
    kind=st.sampled_from(sorted(SAMPLE)), fmt=lossless_formats, name=st.sampled_from(NAMES), data=st.data()
)
def test_file_cut_short_is_refused_or_keeps_the_rows_before_the_cut(kind, fmt, name, data, env):
    full = serialise(SAMPLE[kind][1], **fmt)
    if data.draw(st.booleans(), label="near a line end"):  # where a cut can go unnoticed
        newline = "\n".encode(fmt["encoding"])[-2 if fmt["encoding"].startswith("utf-16") else -1 :]
        ends = [i for i in range(len(full)) if full.startswith(newline, i)]
        cut = data.draw(st.sampled_from(ends), label="line end") + data.draw(
            st.integers(-3, 3), label="offset"
        )
    else:
        cut = data.draw(st.integers(0, len(full) - 1), label="cut")
    tables = check_outcome([put(env, name, full[:cut])], env.base)
    if tables is None:
        return
    rows = {r["source_row"]: r for r in tables["commitments"]}
    last = max(rows)
    assert sorted(rows) == list(range(1, last + 1)), "rows missing before the cut"
    for n, row in rows.items():
        if n < last:  # the last row may end inside its last cell: undetectable
            assert comparable(row) == comparable(env.baseline[kind][n]), (
                f"data row {n} changed by a cut after it"
            )


# ----------------------------------------------------------------------------- smoke and regressions


def test_subprocess_smoke(base, tmp_path):
    """The real command line on two fuzz-style files: a cut UTF-16 file and a corrupted one."""
    cur = serialise(SAMPLE["current"][1], "utf-16", ";", "\r\n", csv.QUOTE_MINIMAL)
    bad = tmp_path / "cut utf16.csv"
    bad.write_bytes(cur[: len(cur) // 2 + 1])
    recs = [list(r) for r in SAMPLE["legacy"][1]]
    recs[5][recs[1].index("Year of submission")] = "😀" * 1000
    worse = tmp_path / "emoji.csv"
    worse.write_bytes(serialise(recs, "utf-8", ",", "\n", csv.QUOTE_MINIMAL))
    for path in (bad, worse):
        before = tree(base)
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "ogp", "import", str(path), "--as-of", AS_OF, "--data-dir", str(base)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=120,
            )
        finally:
            shutil.rmtree(base / "snapshots" / AS_OF, ignore_errors=True)
        assert proc.returncode != 0 and "Traceback" not in proc.stderr + proc.stdout
        lines = proc.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and path.name in lines[0], proc.stderr
        assert "unexpected" not in lines[0], lines[0]
        assert tree(base) == before


def _variant(kind: str, edits: dict[tuple[int, str], str]) -> list[list[str]]:
    """The sample with cells replaced: {(data row, column): value}."""
    h, recs = SAMPLE[kind]
    recs = [list(r) for r in recs]
    header = [c.strip() for c in recs[h]]
    for (i, column), value in edits.items():
        recs[h + i][header.index(column)] = value
    return recs


def _utf8(recs) -> bytes:
    return serialise(recs, "utf-8", ",", "\r\n", csv.QUOTE_MINIMAL)


# Bugs the fuzzer found (each was an `unexpected <Exception>` crash, a misnamed file or a wrong
# row before the fix in ogp/data/formats.py / ogp/data/ingest.py): name, file bytes, outcome fragment.
_cafe = _utf8(_variant("current", {(SAMPLE_ROWS, "id"): "Café"}))
REGRESSIONS = {
    # UTF-16 file cut at an odd byte: UnicodeDecodeError escaped _decode
    "cut utf16.csv": (
        serialise(SAMPLE["current"][1], "utf-16", ";", "\r\n", csv.QUOTE_MINIMAL)[:4001],
        "looks truncated: it ends inside a UTF-16 character",
    ),
    # UTF-8 with BOM cut inside a character: UnicodeDecodeError escaped _decode
    "cut bom.csv": ("\ufeff".encode() + _cafe[:-3], "looks truncated: it ends inside a UTF-8 character"),
    # UTF-8 cut inside a character in the last cell: the whole file was read as cp1252 (every
    # accented letter of every row garbled) and imported
    "cut utf8.csv": (_cafe[:-3], "looks truncated: it ends inside a UTF-8 character"),
    # error lines collapsed all spacing, so `two  spaces.csv` was not named
    "two  spaces.csv": (b"", "is empty"),
    # a 19+ digit year went through float(): OverflowError
    "long year.csv": (
        _utf8(_variant("current", {(3, "Year Of Submission"): "9" * 400})),
        "data row 3: Year Of Submission '" + "9" * 400 + "' is not a year",
    ),
    "long plan.csv": (
        _utf8(_variant("legacy", {(3, "Action Plan Number"): "1" * 5000})),
        "is not a whole number",
    ),
    # natural sort of commitment numbers: int('²') (isdigit but not decimal) and int() of 4300+ digits
    "superscript.csv": (_utf8(_variant("current", {(2, "Commitment Number"): "²"})), None),
    "long number.csv": (_utf8(_variant("legacy", {(2, "Comm No"): "7" * 5000})), None),
    # a value with a line break in a warning made a multi-line `warning:` on stdout
    "line break.csv": (_utf8(_variant("current", {(1, "Specificity"): "Limited\nComplete"})), None),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_fuzzer_findings_stay_fixed(name, env):
    data, refusal = REGRESSIONS[name]
    path = put(env, name, data)
    before = tree(env.base)
    try:
        code, out, err = run_import([path], env.base)
        if refusal is None:
            assert code == 0, err
            # one line per warning (a line break in a value must not make a line of its own)
            report = ("warning: ", "imported ", "import report:", "scope: ", "  ")
            assert all(line.startswith(report) for line in out.splitlines()), out
            check_snapshot(env.base / "snapshots" / AS_OF, path)
        else:
            assert code == 1 and err.startswith(f"error: {path}: ") and err.endswith("\n"), err[:500]
            assert err.count("\n") == 1 and refusal in err and "unexpected" not in err, err[:500]
            assert tree(env.base) == before
    finally:
        shutil.rmtree(env.base / "snapshots" / AS_OF, ignore_errors=True)
    assert tree(env.base) == before
