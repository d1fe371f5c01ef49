"""The importer: raw OGP exports -> one dated snapshot (see docs/DATA.md).

    python -m ogp import FILE [FILE ...] --as-of YYYY-MM-DD [--data-dir DIR] [--replace]
    python -m ogp snapshots [--data-dir DIR]

Files are recognised by content (`ogp.data.formats`). One import = one commitments export (current or
legacy) plus, optionally, the IRM process database, which enriches the action plans.
Bad input -> `ImportFailed` -> one `error:` line on stderr, exit 1, nothing written. Recoverable
oddities -> warnings on stdout and in manifest.json. The snapshot is built in a temporary
folder inside DIR/snapshots and moved into place with os.replace, so no half-written snapshot
is ever visible and other snapshots are never touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ogp.data import matching, schema
from ogp.data.formats import FormatError, Table, read_export
from ogp.data.imports import matching_line, report_lines
from ogp.data.mappers import (
    ImportFailed,
    Members,
    Notes,
    assign_keys,
    build_action_plans,
    build_members,
    map_current,
    map_legacy,
    map_process,
    natural_key,
)
from ogp.model import paths
from ogp.model.text import one_line as _one_line


def to_arrow(rows: list[dict], arrow_schema):
    """The rows as an Arrow table of the snapshot schema (raises on a value of the wrong type)."""
    import pyarrow as pa

    return pa.Table.from_pylist(
        [{f.name: r.get(f.name) for f in arrow_schema} for r in rows], schema=arrow_schema
    )


def write_parquet(rows: list[dict], arrow_schema, path: Path) -> None:
    import pyarrow.parquet as pq

    table = to_arrow(rows, arrow_schema)
    pq.write_table(table, path, compression="zstd", write_statistics=True)


# ----------------------------------------------------------------------------- the import


@dataclass
class Result:
    target: Path
    manifest: dict
    written: bool = True  # False for a dry run


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_as_of(text: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or ""):
        raise ImportFailed("--as-of", f"'{text}' is not a date in the form YYYY-MM-DD")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ImportFailed("--as-of", f"'{text}' is not a valid date") from None
    return text


def build_snapshot(
    files: list[Path], base: Path, as_of: str | None = None
) -> tuple[dict[str, list[dict]], list[dict], list[str], dict]:
    """Read and map the files: ({table name: rows}, sources, warnings, import report). Raises ImportFailed.
    Keys are matched against the snapshots in `base` other than `as_of` (ogp/data/matching.py)."""
    tables: list[Table] = []
    for f in files:
        try:
            tables.append(read_export(f))
        except FormatError as exc:
            raise ImportFailed(f, str(exc)) from None
    main = [t for t in tables if t.kind in ("current", "legacy")]
    process = [t for t in tables if t.kind == "process"]
    if not main:
        raise ImportFailed(
            files[0],
            "no commitments export among the files (got only the "
            "IRM process database); import it together with the legacy table",
        )
    if len(main) > 1:
        raise ImportFailed(
            main[1].path, f"a snapshot takes one commitments export, and {main[0].path.name} is already one"
        )
    if len(process) > 1:
        raise ImportFailed(process[1].path, "a snapshot takes one process database")
    members = Members.load(base)
    notes = Notes()
    t = main[0]
    for w in t.warnings:
        notes.add(t.path.name, w)
    if t.kind == "current":
        commitments, facts = map_current(t, members, notes)
    else:
        commitments, facts = map_legacy(t, members, base, notes), {}
    assign_keys(commitments, t.path.name, notes)
    matched, against = matching.apply(commitments, base, as_of)
    for name in (a[1:] for a in against if a.startswith("!")):
        notes.add(t.path.name, f"snapshot {name} is unreadable: its commitments were not matched")
    commitments.sort(
        key=lambda r: (r["member_code"], r["action_plan"], natural_key(r["commitment_no"]), r["key"])
    )
    plans_extra: dict = {}
    for p in process:
        for w in p.warnings:
            notes.add(p.path.name, w)
        plans_extra = map_process(p, members, base, notes)
        unmatched = sorted({c for c, _ in plans_extra} - {c["member_code"] for c in commitments})
        if unmatched:
            notes.add(p.path.name, f"process rows for member(s) without commitments: {', '.join(unmatched)}")
    action_plans = build_action_plans(commitments, plans_extra)
    names = {c["member_code"]: c["member_name"] for c in commitments}
    names.update({code: p["member_name"] for (code, _), p in plans_extra.items() if code not in names})
    codes = {c["member_code"] for c in commitments} | {p["member_code"] for p in action_plans}
    member_rows = build_members(codes, members, facts, names, t.path.name, notes)
    sources = [
        {
            "file": x.path.name,
            "kind": x.kind,
            "layout": x.layout.name,
            "sha256": _sha256(x.path),
            "rows": len(x.rows),
            "encoding": x.encoding,
        }
        for x in [t] + process
    ]
    report = {
        "files": [file_report(t, commitments, notes)]
        + [file_report(p, list(plans_extra.values()), notes) for p in process],
        "warnings": notes.lines,
        # how each commitment's key was given against the snapshots already there (ogp/data/matching.py)
        "matching": {"against": [a for a in against if not a.startswith("!")], "counts": matched},
    }
    return (
        {"commitments": commitments, "members": member_rows, "action_plans": action_plans},
        sources,
        notes.lines,
        report,
    )


def file_report(table: Table, mapped: list[dict], notes: Notes) -> dict:
    """The import report of one file (stored in manifest.json `report.files`; see docs/DATA.md)."""
    facts = notes.facts[table.path.name]
    layout = table.layout
    how = Counter(m["how"] for m in table.matched)
    ratings = {}
    for fld, (column, scale) in layout.ratings.items():
        if column not in table.header:
            ratings[fld] = {
                "column": column,
                "scale": scale,
                "present": False,
                "missing": len(mapped),
                "of": len(mapped),
            }
            continue
        missing = sum(r.get(fld) is None for r in mapped)
        ratings[fld] = {
            "column": column,
            "scale": scale,
            "present": True,
            "missing": missing,
            "of": len(mapped),
        }
    dropped = {k: len(v) for k, v in table.dropped.items()}
    dropped.update({k: len(v) for k, v in facts["dropped"].items()})
    return {
        "file": table.path.name,
        "layout": layout.name,
        "layout_label": layout.label,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "header_row": table.header_row,
        "above_header": [{"line": line, "what": what} for line, what in table.above],
        "columns": {
            "matched": len(table.matched),
            "of_layout": len(layout.columns),
            "by": dict(sorted(how.items())),
            "other_names": [m for m in table.matched if m["how"] not in ("exact",)],
            "optional_missing": list(table.missing_optional),
        },
        "rows": {
            "read": table.records_read,
            "kept": len(mapped),
            "dropped": dropped,
        },
        "numbers_from_titles": bool(facts.get("numbers_from_titles")),
        "rows_without_number": facts.get("rows_without_number", 0),
        "keys_repaired": facts["keys_repaired"],
        "values_not_understood": facts["values_not_understood"],
        "members_not_recognised": facts["members_not_recognised"],
        "ratings": ratings,
        "warnings": [w for w in notes.lines if w.startswith(f"{table.path.name}: ")],
    }


def snapshot_scope(covers: str | None) -> dict:
    """The manifest's `scope`: a complete export (`covers` None: every commitment of its source)
    or an extract and what it covers (`--scope "..."`). Monitor, the digest and every page that
    counts members, plans or changes read it (ogp/model/text.py `extract_note`, docs/DATA.md)."""
    if covers is None:
        return {"complete": True, "covers": None}
    covers = " ".join(str(covers).split())
    if not covers:
        raise ImportFailed("--scope", "an extract's scope must say what it covers (or leave --scope out)")
    return {"complete": False, "covers": covers}


def import_files(
    files: Sequence[str | Path],
    as_of: str,
    base: Path,
    replace: bool = False,
    dry_run: bool = False,
    scope: str | None = None,
) -> Result:
    """Import files into base/snapshots/as_of. A dry run does everything but the write: the files are
    read, mapped and converted to the snapshot's Arrow tables, and nothing under base changes.
    `scope`: what an extract covers; None for a complete export (see `snapshot_scope`)."""
    as_of = parse_as_of(as_of)
    scoped = snapshot_scope(scope)
    snapdir = base / "snapshots"
    target = snapdir / as_of
    if target.exists() and not replace:
        raise ImportFailed(target, f"a snapshot for {as_of} already exists (use --replace to overwrite it)")
    data, sources, warnings, report = build_snapshot([Path(f) for f in files], base, as_of)
    manifest = {
        "schema_version": schema.SCHEMA_VERSION,
        "as_of": as_of,
        "created_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "synthetic": False,
        "scope": scoped,
        "sources": sources,
        "counts": {
            name: len(rows)
            for name, rows in (
                ("commitments", data["commitments"]),
                ("members", data["members"]),
                ("action_plans", data["action_plans"]),
            )
        },
        "warnings": warnings,
        "report": report,
    }

    def write(folder: Path) -> None:
        for name in schema.TABLES:
            write_parquet(data[name], schema.SCHEMAS[name], folder / f"{name}.parquet")
        (folder / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    if dry_run:
        for name in schema.TABLES:
            to_arrow(data[name], schema.SCHEMAS[name])
        return Result(target, manifest, written=False)
    paths.publish_snapshot(snapdir, as_of, write)
    return Result(target, manifest)


# ----------------------------------------------------------------------------- CLI


def cmd_import(args: argparse.Namespace) -> int:
    base = paths.data_dir(args.data_dir)
    started = time.perf_counter()
    try:
        result = import_files(
            args.files, args.as_of, base, replace=args.replace, dry_run=args.dry_run, scope=args.scope
        )
    except ImportFailed as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - never a traceback at the command boundary
        where = args.files[0] if len(args.files) == 1 else ", ".join(args.files)
        print(f"error: {where}: unexpected {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return 1
    print("import report:")
    for f in result.manifest["report"]["files"]:
        head, *rest = report_lines(f)
        print(f"  {head}")
        for line in rest:
            print(f"    {line}")
    matched = matching_line(result.manifest["report"])
    if matched:
        print(f"  {matched}")
    for w in result.manifest["warnings"]:
        print(f"warning: {w}")
    scope = result.manifest["scope"]
    print(
        f"scope: an extract: {scope['covers']}"
        if not scope["complete"]
        else 'scope: a complete export (an extract is imported with --scope "what it covers")'
    )
    c = result.manifest["counts"]
    counts = f"{c['commitments']} commitments from {c['members']} members, {c['action_plans']} action plans"
    took = f"{time.perf_counter() - started:.1f} s"
    if result.written:
        print(f"imported {counts} -> {result.target} ({took})")
    else:
        print(f"dry run: would import {counts} -> {result.target}; nothing written ({took})")
    return 0


def cmd_snapshots(args: argparse.Namespace) -> int:
    base = paths.data_dir(args.data_dir)
    names = paths.snapshot_names(base)
    if not names:
        print(f"no snapshots in {paths.snapshots_dir(base)}")
        return 0
    for name in names:
        try:
            m = json.loads((paths.snapshots_dir(base) / name / "manifest.json").read_text(encoding="utf-8"))
            c = m.get("counts", {})
            src = ", ".join(f"{s.get('file')} ({s.get('kind')})" for s in m.get("sources", []))
            print(
                f"{name}  {c.get('commitments', '?')} commitments  {c.get('members', '?')} members  "
                f"{c.get('action_plans', '?')} action plans  {len(m.get('warnings', []))} warnings  "
                f"{'synthetic  ' if m.get('synthetic') else ''}"
                f"{'extract: ' + str((m.get('scope') or {}).get('covers')) + '  ' if (m.get('scope') or {}).get('complete') is False else ''}"
                f"sources: {src}"
            )
        except (OSError, ValueError, AttributeError) as exc:
            print(f"{name}  (unreadable manifest: {_one_line(exc)})")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import",
        help="import OGP export files into a dated snapshot",
        description="Import OGP exports (CSV or XLSX, recognised by content) into DIR/snapshots/AS_OF/.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="commitments export (+ process database)")
    p.add_argument("--as-of", required=True, help="snapshot date YYYY-MM-DD (the date of the export)")
    p.add_argument("--data-dir", default=None, help="data folder (default: $OGP_DATA_DIR, else data)")
    p.add_argument("--replace", action="store_true", help="replace an existing snapshot of that date")
    p.add_argument(
        "--scope",
        metavar="TEXT",
        default=None,
        help='the export is an extract: what it covers, e.g. "commitments on open parliaments and '
        'legislation" (default: a complete export of its source)',
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="read and check the files and print the import report, without writing anything",
    )
    p.set_defaults(func=cmd_import)
    s = subparsers.add_parser("snapshots", help="list snapshots with their counts")
    s.add_argument("--data-dir", default=None, help="data folder (default: $OGP_DATA_DIR, else data)")
    s.set_defaults(func=cmd_snapshots)
