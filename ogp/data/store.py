"""DuckDB over the dated parquet snapshots.

Tables built once when the store opens (the data is read-only while the dashboard runs):
- `commitments_core`: in memory, every commitment row of every snapshot with the columns pages
  filter, group and list (no long text), its `snapshot` date, the member's `region`, `kind` and
  `iso3`, its `theme_mask` (bit i = i-th theme of data/themes.toml by name), its best known
  `completion` (end of term, else mid-term), `is_latest` (the row comes from the newest snapshot
  holding that key), `levels` (its key's completion in the LEVEL_SLOTS newest snapshots, for
  progress), `at_risk`, the rating classes the counts use, and `rid`/`row_no` locating the row
  in its parquet file.
- `commitments_all`: view of every column of every row (long text read from the parquet files
  by row number), with `themes`, `completion`, `is_latest`; `commitments`: its latest rows.
- `commitment_search`: the search text of the latest rows (lower-cased, accents stripped), filled by a background
  thread after the store opens (`wait_search()`); until then search reads the parquet files.
  The row ids a search term matches are kept for the last SEARCH_CACHE terms: a page's queries
  with the same term scan the text once (registered as `search_result` on the query's cursor).
- `members_all` / `members`, `action_plans_all` / `action_plans`: likewise.
- `scales` (scale, level, rank, high: ogp/model/scales.py HIGH; queries/_setup.sql builds the rule macros on it) and `theme_areas` (theme, schema, area).
- macro `scoped(snap)`: the latest state when `snap` is NULL, else that snapshot (core columns
  and `themes`); macro `filtered(...)`: scoped rows that pass the dashboard's filters.

- `commitment_counts`: the rows pre-aggregated (`n` per distinct combination of what filters and
  the aggregate queries look at, for all commitments and per theme); macro
  `filtered_counts(...)`: `filtered` as counts; `filtered_row_counts(...)`: the same, counted
  row by row, which `query` runs instead when a search term is set (COUNTS_FOR_SEARCH).

Named queries live in `queries/<name>.sql`; `Store.query(name, **params)` binds parameters
(`$name`) on a per-thread cursor and returns a DataFrame. Nothing is ever formatted into SQL
except paths of snapshot files this module found itself.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from ogp.data import schema
from ogp.model import paths, scales, themes

QUERIES_DIR = paths.PROJECT_DIR / "queries"
SEARCH_CACHE = 16  # search terms whose matching row ids are kept (8 MB each at most per 1M rows)
LEVEL_SLOTS = 16  # snapshots whose completion levels each row carries (4 bits each of a UBIGINT)
MAX_THEMES = 64  # themes are bits of a UBIGINT mask (queries/_setup.sql)
SETUP_SQL = "_setup"  # queries/_setup.sql: tables and macros built on top of the raw views
SEARCH_SQL = "_search"  # queries/_search.sql: the search text, filled in the background
# A query over filtered_counts runs over filtered_row_counts when a search term is set (text is
# not a dimension of commitment_counts): the same columns, macro names only, no user text.
COUNTS_FOR_SEARCH = ("filtered_counts(", "filtered_row_counts(")
PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


class QueryError(RuntimeError):
    pass


@dataclass
class Snapshot:
    name: str
    folder: Path
    manifest: dict = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return bool(self.manifest.get("synthetic"))

    def counts(self) -> dict:
        return self.manifest.get("counts", {})

    @property
    def complete(self) -> bool:
        """A complete export of its source (the manifest's `scope`, set at import; a manifest
        written before scopes existed counts as complete, as its import assumed)."""
        return (self.manifest.get("scope") or {}).get("complete") is not False

    @property
    def covers(self) -> str | None:
        """What an extract covers, as its import said (`--scope`); None for a complete export."""
        return None if self.complete else (self.manifest.get("scope") or {}).get("covers") or ""


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# What a manifest's schema_version is when it is not a version number (its value is not shown:
# the message is a banner's markdown, and the manifest is not this module's text).
_JSON_KINDS = {bool: "a boolean", str: "a string", float: "a fraction", list: "a list", dict: "an object"}


def version_problem(name: str, manifest: dict) -> str | None:
    """Why the store cannot read snapshot `name` by its manifest's `schema_version`, in one line
    with what to do; None when it is schema.SCHEMA_VERSION. No older version is migrated
    (schema.RETIRED says why); a newer one needs a newer dashboard."""
    rebuild = f"import its files again: python -m ogp import FILE... --as-of {name} --replace"
    if "schema_version" not in manifest:
        return f"snapshot {name}: manifest.json has no schema_version; {rebuild}"
    version = manifest["schema_version"]
    if type(version) is not int or version < 1:  # a JSON true is a Python int, not a version
        kind = str(version) if type(version) is int else _JSON_KINDS.get(type(version), "null")
        return f"snapshot {name}: manifest.json's schema_version is not a version number ({kind}); {rebuild}"
    if version > schema.SCHEMA_VERSION:
        return (
            f"snapshot {name}: written with snapshot schema {version}, newer than this dashboard reads "
            f"(schema {schema.SCHEMA_VERSION}); upgrade the dashboard to a version that reads schema {version}"
        )
    if version < schema.SCHEMA_VERSION:
        return (
            f"snapshot {name}: written with snapshot schema {version}, {schema.RETIRED[version]}; {rebuild}"
        )
    return None


def check_snapshot(folder: Path) -> tuple[dict, str | None]:
    """Read the manifest, check its schema_version (version_problem) and that every parquet file
    opens with the required columns. Returns (manifest, problem or None)."""
    manifest: dict = {}
    mpath = folder / "manifest.json"
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
    except FileNotFoundError:
        return {}, f"snapshot {folder.name}: manifest.json is missing"
    except (OSError, ValueError) as exc:
        return {}, f"snapshot {folder.name}: manifest.json is unreadable ({exc.__class__.__name__})"
    problem = version_problem(folder.name, manifest)
    if problem:
        return manifest, problem
    for table, required in schema.REQUIRED.items():
        path = folder / f"{table}.parquet"
        try:
            names = set(pq.ParquetFile(path).schema_arrow.names)
        except FileNotFoundError:
            return manifest, f"snapshot {folder.name}: {table}.parquet is missing"
        except Exception as exc:  # pyarrow raises several types for damaged files
            return (
                manifest,
                f"snapshot {folder.name}: {table}.parquet is unreadable ({exc.__class__.__name__})",
            )
        missing = required - names
        if missing:
            return (
                manifest,
                f"snapshot {folder.name}: {table}.parquet lacks columns {', '.join(sorted(missing))}",
            )
    return manifest, None


def _missing_columns(path: Path) -> str:
    """The select items giving a commitments file the columns of schema.COMMITMENT_DEFAULTS it lacks
    (their SQL literals, written in schema.py: no user text)."""
    names = set(pq.ParquetFile(path).schema_arrow.names)
    return "".join(
        f"{sql} AS {name}, " for name, sql in schema.COMMITMENT_DEFAULTS.items() if name not in names
    )


@lru_cache(maxsize=64)
def load_sql(name: str) -> str:
    if not re.fullmatch(r"_?[a-z][a-z0-9_]*", name):
        raise QueryError(f"no query named {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


class Store:
    """One DuckDB connection over all good snapshots; a cursor per query (DuckDB connections
    are not shared across threads, cursors are)."""

    def __init__(self, data_dir: str | Path | None = None, themes_file: Path = themes.THEMES_FILE):
        self.data_dir = paths.data_dir(data_dir)
        self.snapshots: list[Snapshot] = []
        self.problems: list[str] = []
        for name in paths.snapshot_names(self.data_dir):
            folder = paths.snapshots_dir(self.data_dir) / name
            manifest, problem = check_snapshot(folder)
            if problem:
                self.problems.append(problem)
            else:
                self.snapshots.append(Snapshot(name, folder, manifest))
        self._lock = threading.Lock()
        self._con = duckdb.connect(":memory:")
        self._con.execute("SET enable_progress_bar = false")  # no bar on the server's terminal
        self._search_ready = threading.Event()
        self._search_thread: threading.Thread | None = None
        self.search_error: Exception | None = None
        self._hits: OrderedDict[tuple, object] = OrderedDict()  # (snapshot, term) -> arrow table of rids
        self._hits_lock = threading.Lock()
        self._build(themes_file)
        if self.snapshots:
            self._search_thread = threading.Thread(
                target=self._build_search, name="ogp-search-text", daemon=True
            )
            self._search_thread.start()
        else:
            self._search_ready.set()

    # -- building -----------------------------------------------------------------------
    def _read_all(self, table: str) -> str:
        files = [str(s.folder / f"{table}.parquet") for s in self.snapshots]
        listing = ", ".join(_sql_string(f) for f in files)
        return (
            f"SELECT * EXCLUDE (filename), CAST(regexp_extract(filename, "
            f"'(\\d{{4}}-\\d{{2}}-\\d{{2}})[/\\\\]{table}\\.parquet$', 1) AS DATE) AS snapshot "
            f"FROM read_parquet([{listing}], union_by_name = true, filename = true)"
        )

    def _read_commitments(self) -> str:
        """Every snapshot's commitments.parquet, one branch per file with its `snapshot` date as
        a constant, its file row number (`row_no`) and `rid` = snapshot number << 40 | row_no:
        a filter on the snapshot prunes whole files, and a join on row_no reads only the row
        groups it needs. Column order and types as read_parquet(union_by_name) gives them."""
        parts = [
            f"SELECT *, {_missing_columns(s.folder / 'commitments.parquet')}DATE {_sql_string(s.name)} AS snapshot, "
            f"{i}::BIGINT AS snap_no "
            f"FROM read_parquet({_sql_string(str(s.folder / 'commitments.parquet'))}, file_row_number = true)"
            for i, s in enumerate(self.snapshots)
        ]
        union = " UNION ALL BY NAME ".join(parts)
        return (
            f"SELECT * EXCLUDE (snapshot, snap_no, file_row_number), snapshot, file_row_number AS row_no, "
            f"(snap_no << 40) | file_row_number AS rid FROM ({union})"
        )

    def _read_commitments_all(self) -> str:
        """Every column of every commitment row plus the derived ones (region, kind, iso3, themes,
        completion, is_latest): commitments_core joined with each snapshot's file on its own,
        by file row number. A filter on the core columns (a key) then gives each file's join its
        own row-number range, so a lookup reads one row group per file instead of a range
        spanning every file (as a join with commitments_raw on snapshot and row_no does).
        key and ogp_id are taken from commitments_core (the same values), so a filter on them
        is applied to the in-memory table, not to the files.
        Column order and types as `r.* EXCLUDE (snapshot, row_no, rid), r.snapshot, ...` over
        commitments_raw gives them."""
        derived = "snapshot, region, kind, iso3, themes, completion, is_latest"
        parts = [
            f"SELECT r.* EXCLUDE (file_row_number) REPLACE (c.key AS key, c.ogp_id AS ogp_id), c.snapshot, c.region, c.kind, c.iso3, "
            f"theme_list(c.theme_mask) AS themes, c.completion, c.is_latest "
            f"FROM commitments_core c JOIN read_parquet({_sql_string(str(s.folder / 'commitments.parquet'))}, "
            f"file_row_number = true) r ON r.file_row_number = c.row_no "
            f"WHERE c.snapshot = DATE {_sql_string(s.name)}"
            for s in self.snapshots
        ]
        union = " UNION ALL BY NAME ".join(parts)
        return f"SELECT * EXCLUDE ({derived}), {derived} FROM ({union})"

    def _build(self, themes_file: Path) -> None:
        con = self._con
        con.execute("CREATE TABLE scales (scale VARCHAR, level VARCHAR, rank INTEGER, high BOOLEAN)")
        con.executemany("INSERT INTO scales VALUES (?, ?, ?, ?)", scales.scale_rows())
        con.execute("CREATE TABLE theme_areas (theme VARCHAR, schema VARCHAR, area VARCHAR)")
        rows = themes.theme_area_rows(themes_file)
        if rows:
            con.executemany("INSERT INTO theme_areas VALUES (?, ?, ?)", rows)
        if len({r[0] for r in rows}) > MAX_THEMES:
            raise QueryError(f"at most {MAX_THEMES} themes are supported (one bit each)")
        if not self.snapshots:
            return
        # Each snapshot's slot in `levels` (queries/_setup.sql): 0 = the newest, NULL beyond LEVEL_SLOTS.
        con.execute("CREATE TABLE snapshot_numbers (snapshot DATE, slot INTEGER)")
        newest_first = [s.name for s in reversed(self.snapshots)]
        con.executemany(
            "INSERT INTO snapshot_numbers VALUES (?, ?)",
            [(name, i if i < LEVEL_SLOTS else None) for i, name in enumerate(newest_first)],
        )
        # Views cannot take bound parameters: their text holds only the snapshot folders this
        # store listed itself (YYYY-MM-DD names), quoted by _sql_string. No user text.
        views = {f"{table}_raw": self._read_all(table) for table in ("members", "action_plans")}
        views["commitments_raw"] = self._read_commitments()
        for name, select in views.items():
            con.execute("CREATE VIEW " + name + " AS " + select)
        con.execute(load_sql(SETUP_SQL))
        con.execute("CREATE VIEW commitments_all AS " + self._read_commitments_all())
        con.execute("CREATE VIEW commitments AS SELECT * FROM commitments_all WHERE is_latest")

    def _build_search(self) -> None:
        """Fill the search text of the latest rows and switch search to it, in one transaction:
        a query sees either the parquet scan or the full table, never half of it."""
        cur = self._con.cursor()
        try:
            cur.execute("BEGIN TRANSACTION")
            cur.execute(load_sql(SEARCH_SQL))
            cur.execute("COMMIT")
        except Exception as exc:  # searching keeps working on the parquet files
            self.search_error = exc
            try:
                cur.execute("ROLLBACK")
            except Exception:
                pass
        finally:
            cur.close()
            self._search_ready.set()

    def wait_search(self, timeout: float | None = None) -> bool:
        """Block until the in-memory search text is built (or its build failed)."""
        return self._search_ready.wait(timeout)

    def close(self) -> None:
        if self._search_thread is not None:
            self._search_thread.join()
        self._con.close()

    # -- reading ------------------------------------------------------------------------
    @property
    def ok(self) -> bool:
        return bool(self.snapshots)

    @property
    def snapshot_names(self) -> list[str]:
        return [s.name for s in self.snapshots]

    @property
    def latest(self) -> Snapshot | None:
        return self.snapshots[-1] if self.snapshots else None

    @property
    def progress_snapshot_names(self) -> list[str]:
        """The snapshots progress can compare (oldest first): the newest LEVEL_SLOTS."""
        return self.snapshot_names[-LEVEL_SLOTS:]

    def snapshot(self, name: str | None) -> Snapshot | None:
        return next((s for s in self.snapshots if s.name == name), None)

    def extracts(self, names: list[str] | None = None) -> list[tuple[str, str]]:
        """(date, what it covers) of each extract among `names` (default: every snapshot), for
        ogp.model.text.extract_note."""
        chosen = self.snapshots if names is None else [s for s in self.snapshots if s.name in names]
        return [(s.name, covers) for s in chosen if (covers := s.covers) is not None]  # None: complete

    @property
    def version(self) -> tuple:
        """Changes whenever the data would: cache keys include it."""
        return (str(self.data_dir), tuple((s.name, s.manifest.get("created_at")) for s in self.snapshots))

    def query(self, name: str, **params) -> pd.DataFrame:
        sql = load_sql(name)
        if params.get("q") is not None:
            sql = sql.replace(*COUNTS_FOR_SEARCH)
        wanted = set(PARAM.findall(sql))
        missing = wanted - params.keys()
        if missing:
            raise QueryError(f"query {name!r} needs parameters {', '.join(sorted(missing))}")
        bound = {k: v for k, v in params.items() if k in wanted}
        if not self.snapshots:
            raise QueryError("no readable snapshot")
        cur = self._con.cursor()
        try:
            if params.get("q") is not None:
                # The rows the query's filtered() reads: $to_snapshot's (progress), else $snapshot's.
                scope = (
                    params["to_snapshot"] if params.get("to_snapshot") is not None else params.get("snapshot")
                )
                cur.register("search_result", self._search_result(scope, params["q"]))
            return cur.execute(sql, bound).df()
        finally:
            cur.close()

    def _search_result(self, snapshot: str | None, q: str):
        """The row ids matching a search term (its words as whole words of the text, accents and
        case folded, or its key or OGP id: search_hits, id_hits)
        among the latest rows (snapshot None) or one snapshot's, computed once per term and
        snapshot and kept for the last SEARCH_CACHE terms. Two threads may both compute a new term; the
        results are equal."""
        key = (snapshot, q)
        with self._hits_lock:
            if key in self._hits:
                self._hits.move_to_end(key)
                return self._hits[key]
        cur = self._con.cursor()
        try:
            # The term's pattern once (a bound value: DuckDB would build it again on every row).
            pattern, probe = cur.sql(
                "SELECT search_pattern($q), search_probe($q)", params={"q": q}
            ).fetchall()[0]
            params = {"snapshot": snapshot, "q": q, "pattern": pattern, "probe": probe}
            hits_of_text = (
                "search_hits($pattern, $probe)"
                if snapshot is None
                else "search_hits_files($snapshot, $pattern, $probe)"
            )
            sql = f"SELECT rid FROM {hits_of_text} UNION SELECT rid FROM id_hits($snapshot, $q)"
            hits = cur.sql(sql, params=params).to_arrow_table()
        finally:
            cur.close()
        with self._hits_lock:
            self._hits[key] = hits
            while len(self._hits) > SEARCH_CACHE:
                self._hits.popitem(last=False)
        return hits
