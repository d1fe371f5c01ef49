"""The snapshot schema, written once (docs/DATA.md describes it column by column).

A snapshot is a folder `<as-of>/` holding one parquet file per table of TABLES (with exactly the
Arrow types of SCHEMAS, in that column order) and a `manifest.json` whose `schema_version` is
SCHEMA_VERSION. The importer (ogp.data.ingest) and the generator (ogp.data.synth) write these schemas; the
store (ogp.data.store) reads only snapshots whose manifest says SCHEMA_VERSION (`check_snapshot`): it
refuses, by name and with what to do, a newer version (upgrade the dashboard), an older one (import its
files again: RETIRED says why none can be migrated), a missing or garbled one, and files lacking a
column of REQUIRED. The one read-time change it makes is COMMITMENT_DEFAULTS (why they are not a
migration step is written there).
"""

from __future__ import annotations

import pyarrow as pa

# 2: `starred` is the IRM's star formula and NULL where no formula was applied (ogp/model/measures.py
# STAR_COLUMNS); version 1 read the current export's `Star - Most Recently Assessed` and wrote
# False for both "not starred" and "not assessed". The store refuses older versions by name.
SCHEMA_VERSION = 2

# Every version before SCHEMA_VERSION (versions start at 1), with why its snapshots cannot be
# migrated in place, as the store's message says it ("written with snapshot schema N, <reason>;
# import its files again: ..."). A version gets a migration step instead only if its files hold
# everything the current schema derives; version 1's do not (the star formula's inputs were never
# stored, and its False mixes "not starred" with "not assessed").
RETIRED: dict[int, str] = {
    1: "whose stars are not the IRM's (schema 2 reads its star formula, docs/DATA.md)",
}
assert set(RETIRED) == set(range(1, SCHEMA_VERSION))

TABLES = ("commitments", "members", "action_plans")

_S, _I8, _I16, _I32 = pa.string(), pa.int8(), pa.int16(), pa.int32()
_BOOL, _F64, _STRINGS = pa.bool_(), pa.float64(), pa.list_(pa.string())

COMMITMENTS = pa.schema(
    [
        ("key", _S),
        ("ogp_id", _S),
        ("member_code", _S),
        ("member_name", _S),
        ("action_plan", _I16),
        ("ap_id", _S),
        ("commitment_no", _S),
        ("title", _S),
        ("short_title", _S),
        ("description", _S),
        ("plan_theme", _S),
        ("lead_institution", _S),
        ("supporting_institutions", _S),
        ("year_submitted", _I16),
        ("ap_end_year", _I16),
        ("start_date", _S),
        ("end_date", _S),
        ("policy_areas", _STRINGS),
        ("ogp_values", _STRINGS),
        ("relevant", _BOOL),
        ("verifiable", _BOOL),
        ("specificity", _S),
        ("potential_impact", _S),
        ("completion_midterm", _S),
        ("completion_end", _S),
        ("potential_for_results", _S),
        ("early_results", _S),
        ("diog", _S),
        ("starred", _BOOL),
        ("irm_assessed", _BOOL),
        ("url", _S),
        ("source_schema", _S),
        ("source_file", _S),
        ("source_row", _I32),
        # how the key was given across snapshots, and the keys of a group / its parts
        # (ogp/data/matching.py); files written without them read as unmatched (COMMITMENT_DEFAULTS)
        ("match", _S),
        ("links", _STRINGS),
    ]
)
MEMBERS = pa.schema(
    [
        ("member_code", _S),
        ("member_name", _S),
        ("kind", _S),
        ("iso3", _S),
        ("region", _S),
        ("status", _S),
        ("lat", _F64),
        ("lon", _F64),
    ]
)
ACTION_PLANS = pa.schema(
    [
        ("member_code", _S),
        ("action_plan", _I16),
        ("ap_id", _S),
        ("year_submitted", _I16),
        ("end_year", _I16),
        ("n_commitments", _I32),
        ("steps_followed", _I8),
        ("iap2_development", _S),
        ("iap2_implementation", _S),
        ("participation_development", _S),
        ("regular_forum", _BOOL),
        ("self_assessment_published", _BOOL),
    ]
)
SCHEMAS: dict[str, pa.Schema] = {"commitments": COMMITMENTS, "members": MEMBERS, "action_plans": ACTION_PLANS}

# The columns without which the store cannot open a snapshot (its views and macros read them);
# a snapshot lacking one is listed as a problem and skipped.
REQUIRED: dict[str, frozenset[str]] = {
    "commitments": frozenset({"key", "member_code", "action_plan", "title", "policy_areas", "source_schema"}),
    "members": frozenset({"member_code", "member_name", "kind"}),
    "action_plans": frozenset({"member_code", "action_plan"}),
}
assert tuple(SCHEMAS) == TABLES and all(REQUIRED[t] <= set(SCHEMAS[t].names) for t in TABLES)

# Columns of COMMITMENTS a commitments.parquet of SCHEMA_VERSION may lack, read as these SQL literals
# (written here, never user text; the store adds them per file). They are not a migration step tied to
# a version: `match` and `links` came with matching across exports (2026-12-01) while schema 1 was
# current, without a version bump, so a version cannot say whether a file has them. Every writer of
# schema 2 (ingest, synth) writes them; a file without them holds no matching at all, which is exactly
# what the defaults say (no `match`: "not recorded" on the Methodology; no `links`: in no group), so
# reading them so guesses nothing. A column added later whose absence cannot be read exactly so
# bumps SCHEMA_VERSION instead (and gets a RETIRED reason or a migration step).
COMMITMENT_DEFAULTS: dict[str, str] = {"match": "NULL::VARCHAR", "links": "[]::VARCHAR[]"}
assert set(COMMITMENT_DEFAULTS) <= set(COMMITMENTS.names) - REQUIRED["commitments"]
