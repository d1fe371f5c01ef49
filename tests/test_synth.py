"""`python -m ogp synth`: synthetic snapshots must be indistinguishable in shape from the real
ones, so that scale tests exercise the same code paths as the bundled data."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from ogp import cli
from ogp.data import schema, synth
from ogp.model import paths
from ogp.model.scales import COLUMN_SCALE, SCALES, UNORDERED

N = 5000
SEED = 7
TABLES = schema.TABLES
REAL_CSV = (
    paths.PROJECT_DIR.parent
    / "shared"
    / "data"
    / "raw"
    / "ogp"
    / "g0v_ogp-commitments"
    / "open_parliament_0703.csv"
)
ORDER = {lvl: i for i, lvl in enumerate(SCALES["completion"])}


def run_cli(*argv: str) -> int:
    return cli.main(["synth", *argv])


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("synth")
    assert run_cli("--commitments", str(N), "--data-dir", str(base), "--seed", str(SEED)) == 0
    return base


def snaps(base: Path) -> list[Path]:
    return [paths.snapshots_dir(base) / name for name in paths.snapshot_names(base)]


def manifest(snap: Path) -> dict:
    return json.loads((snap / "manifest.json").read_text(encoding="utf-8"))


def documented_columns() -> dict[str, list[str]]:
    """Column names per table from the tables in docs/DATA.md, in order."""
    text = (paths.PROJECT_DIR / "docs" / "DATA.md").read_text(encoding="utf-8")
    cols: dict[str, list[str]] = {}
    for name in TABLES:
        section = text.split(f"## {name}.parquet", 1)[1].split("\n## ", 1)[0]
        cols[name] = [
            c
            for line in section.splitlines()
            if line.startswith("| `")
            for c in re.findall(r"`([a-z0-9_]+)`", line.split("|")[1])
        ]
    return cols


def test_default_three_snapshots_with_n_in_the_newest(out):
    names = paths.snapshot_names(out)
    assert names == ["2022-01-01", "2023-01-01", "2024-01-01"]
    newest = pq.read_table(paths.snapshots_dir(out) / names[-1] / "commitments.parquet")
    assert newest.num_rows == N
    sizes = [pq.read_metadata(s / "commitments.parquet").num_rows for s in snaps(out)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]  # new plans arrive in later snapshots


def test_schema_matches_the_bundled_snapshots_column_for_column(out):
    """Synthetic, bundled and documented snapshots all follow ogp/data/schema.py, type for type."""
    bundled = paths.snapshot_names(paths.BUNDLED_DATA_DIR)
    docs = documented_columns()
    for name in TABLES:
        assert schema.SCHEMAS[name].names == docs[name], name
    for folder in snaps(out) + [paths.snapshots_dir(paths.BUNDLED_DATA_DIR) / b for b in bundled]:
        for name in TABLES:
            written = pq.read_schema(folder / f"{name}.parquet").remove_metadata()
            assert written.equals(schema.SCHEMAS[name]), (folder.name, name)


def test_keys_unique_and_formatted_like_the_real_ones(out):
    for snap in snaps(out):
        t = pq.read_table(snap / "commitments.parquet").to_pandas()
        assert t["key"].is_unique and t["ogp_id"].is_unique
        expected = t["member_code"] + "-" + t["action_plan"].astype(str) + "-" + t["commitment_no"]
        assert (t["key"] == expected).all()
        assert t["ogp_id"].str.fullmatch(r"SY\d{6,}").all()
        assert (t["ap_id"] == "AP_" + t["member_code"] + t["action_plan"].map("{:02d}".format)).all()
        assert t["url"].isna().all()
        assert (t["source_schema"] == "synthetic").all() and (t["source_file"] == "synthetic").all()
        assert list(t["source_row"]) == list(range(1, len(t) + 1))
        lengths = t["description"].str.len()
        assert lengths.min() >= 150 and lengths.max() <= 450


def test_tables_agree_and_levels_are_canonical(out):
    valid = {col: set(SCALES[s]) | set(UNORDERED.get(s, ())) for col, s in COLUMN_SCALE.items()}
    area_names = {a for a, _ in synth.POLICY_AREA_COUNTS}
    for snap in snaps(out):
        c = pq.read_table(snap / "commitments.parquet").to_pandas()
        m = pq.read_table(snap / "members.parquet").to_pandas()
        ap = pq.read_table(snap / "action_plans.parquet").to_pandas()
        for col, levels in valid.items():
            assert set(c[col].dropna()) <= levels, col
        assert (
            set(pc.list_flatten(pq.read_table(snap / "commitments.parquet")["policy_areas"]).to_pylist())
            <= area_names
        )
        assert c["policy_areas"].map(len).min() >= 1
        assert m["member_code"].is_unique and set(c["member_code"]) == set(m["member_code"])
        assert set(m["region"]) <= {
            "Europe",
            "Asia and the Pacific",
            "Africa and the Middle East",
            "Americas",
        }
        national = m[m["kind"] == "national"]
        local = m[m["kind"] == "local"]
        assert (national["iso3"] == national["member_code"]).all() and national["lat"].isna().all()
        assert local["lat"].notna().all() and local["iso3"].isin(national["iso3"]).all()
        assert ap["n_commitments"].sum() == len(c)
        assert not ap.duplicated(["member_code", "action_plan"]).any()
        counts = manifest(snap)["counts"]
        assert counts == {"commitments": len(c), "members": len(m), "action_plans": len(ap)}
    newest = pq.read_table(snaps(out)[-1] / "members.parquet").to_pandas()
    assert 60 <= (newest["kind"] == "national").sum() <= 90 and (newest["kind"] == "local").sum() >= 10


def test_stars_follow_the_irm_rule(out):
    """A synthetic star meets the IRM's criteria (verifiable, relevant, Transformative, Substantial
    or Complete); a commitment without a star formula (not yet reported, or rated since 2021 by
    potential for results) has no star rating (null), as the export's ND."""
    for snap in snaps(out):
        c = pq.read_table(snap / "commitments.parquet").to_pandas()
        completion = c["completion_end"].fillna(c["completion_midterm"])
        meets = (
            c["verifiable"].eq(True)
            & c["relevant"].eq(True)
            & c["potential_impact"].eq("Transformative")
            & completion.isin(["Substantial", "Complete"])
        )
        rated = c["starred"].notna()
        assert (c.loc[rated, "starred"] == meets[rated]).all()
        assert c.loc[c["potential_for_results"].notna(), "starred"].isna().all()
        assert 0 < c["starred"].eq(True).sum() < rated.sum() < len(c)


def test_later_snapshots_keep_earlier_keys_and_completion_never_goes_down(out):
    tables = [pq.read_table(s / "commitments.parquet").to_pandas().set_index("key") for s in snaps(out)]
    moved_up = 0
    for earlier, later in zip(tables, tables[1:]):
        assert earlier.index.isin(later.index).all()
        assert len(later) > len(earlier)
        later = later.loc[earlier.index]
        assert (later["ogp_id"] == earlier["ogp_id"]).all() and (later["title"] == earlier["title"]).all()
        for col in ("completion_midterm", "completion_end"):
            was, now = earlier[col], later[col]
            known = was.notna()
            assert now[known].notna().all(), f"{col} went back to null"
            ordered = known & was.isin(list(ORDER))
            assert now[ordered].isin(list(ORDER)).all()
            r0, r1 = was[ordered].map(ORDER), now[ordered].map(ORDER)
            assert (r1 >= r0).all(), f"{col} went down"
            assert (now[known & ~ordered] == was[known & ~ordered]).all()
            moved_up += int((r1 > r0).sum())
    assert moved_up > 0  # progress is visible between snapshots


def test_manifest_says_synthetic(out):
    for snap in snaps(out):
        m = manifest(snap)
        assert m["synthetic"] is True and m["seed"] == SEED
        assert m["schema_version"] == schema.SCHEMA_VERSION and m["sources"] == [] and m["as_of"] == snap.name
    assert not any(p.name.startswith(".") for p in paths.snapshots_dir(out).iterdir())  # no leftovers


def test_same_seed_same_output_and_other_seed_differs(out, tmp_path):
    again, other = tmp_path / "again", tmp_path / "other"
    assert run_cli("--commitments", str(N), "--data-dir", str(again), "--seed", str(SEED)) == 0
    assert run_cli("--commitments", str(N), "--data-dir", str(other), "--seed", str(SEED + 1)) == 0
    for snap in snaps(out):
        for name in TABLES:
            assert pq.read_table(snap / f"{name}.parquet").equals(
                pq.read_table(paths.snapshots_dir(again) / snap.name / f"{name}.parquet")
            ), name
        a, b = manifest(snap), manifest(paths.snapshots_dir(again) / snap.name)
        a.pop("created_at"), b.pop("created_at")
        assert a == b
    newest = snaps(out)[-1].name
    assert not pq.read_table(snaps(out)[-1] / "commitments.parquet").equals(
        pq.read_table(paths.snapshots_dir(other) / newest / "commitments.parquet")
    )


def test_rerun_replaces_synthetic_snapshots(tmp_path):
    assert run_cli("--commitments", "300", "--data-dir", str(tmp_path), "--snapshots", "1") == 0
    assert run_cli("--commitments", "200", "--data-dir", str(tmp_path), "--snapshots", "1") == 0
    assert manifest(paths.snapshots_dir(tmp_path) / "2024-01-01")["counts"]["commitments"] == 200


def bundled_listing() -> list[str]:
    root = paths.BUNDLED_DATA_DIR
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


@pytest.mark.parametrize("where", ["bundled", "inside", "symlink"])
def test_refuses_to_write_into_the_bundled_data_dir(where, tmp_path, capsys):
    target = {
        "bundled": paths.BUNDLED_DATA_DIR,
        "inside": paths.BUNDLED_DATA_DIR / "synthetic",
        "symlink": tmp_path / "link",
    }[where]
    if where == "symlink":
        os.symlink(paths.BUNDLED_DATA_DIR, target)
    before = bundled_listing()
    capsys.readouterr()
    assert run_cli("--commitments", "10", "--data-dir", str(target)) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")
    assert bundled_listing() == before


def test_refuses_to_replace_a_real_snapshot(tmp_path, capsys):
    real = paths.snapshots_dir(tmp_path) / "2024-01-01"
    real.mkdir(parents=True)
    (real / "manifest.json").write_text(json.dumps({"schema_version": 1, "synthetic": False}))
    capsys.readouterr()
    assert run_cli("--commitments", "10", "--data-dir", str(tmp_path)) != 0
    assert capsys.readouterr().err.startswith("error: ")
    assert json.loads((real / "manifest.json").read_text())["synthetic"] is False
    assert paths.snapshot_names(tmp_path) == ["2024-01-01"]


def test_data_dir_is_required(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["synth", "--commitments", "10"])
    assert exc.value.code != 0


def test_snapshots_option(tmp_path):
    assert run_cli("--commitments", "500", "--data-dir", str(tmp_path), "--snapshots", "5") == 0
    assert paths.snapshot_names(tmp_path) == [f"{y}-01-01" for y in range(2020, 2025)]


def test_national_members_agree_with_members_csv():
    with (paths.BUNDLED_DATA_DIR / "members.csv").open(encoding="utf-8", newline="") as f:
        known = {r["member_code"]: r for r in csv.DictReader(f)}
    for code, name, region, _, status in synth.NATIONAL_MEMBERS:
        assert code in known, code
        assert (known[code]["member_name"], known[code]["region"], known[code]["status"]) == (
            name,
            region,
            status,
        )
    for code, name, iso3, *_ in synth.LOCAL_MEMBERS:
        assert iso3 in {c for c, *_ in synth.NATIONAL_MEMBERS}
        if code in known:
            assert known[code]["member_name"] == name


@pytest.mark.skipif(not REAL_CSV.exists(), reason="needs ../shared/data (developer machines only)")
def test_policy_areas_are_the_real_current_schema_columns():
    with REAL_CSV.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    first, last = header.index("Anti-Corruption and Integrity"), header.index("Money in Politics")
    assert [a for a, _ in synth.POLICY_AREA_COUNTS] == header[first : last + 1]
