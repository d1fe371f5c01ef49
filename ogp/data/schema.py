"""The snapshot schema, written once (docs/DATA.md describes it column by column).

A snapshot is a folder `<as-of>/` holding one parquet file per table of TABLES (with exactly the
Arrow types of SCHEMAS, in that column order) and a `manifest.json` whose `schema_version` is
SCHEMA_VERSION. The importer (ogp.data.ingest) and the generator (ogp.data.synth) write these schemas; the
store (ogp.data.store) refuses a snapshot whose files lack a column of REQUIRED, or whose manifest has
an older `schema_version` (its files must be imported again).
"""

from __future__ import annotations

import pyarrow as pa

# 2: `starred` is the IRM's star formula and NULL where no formula was applied (ogp/model/measures.py
# STAR_COLUMNS); version 1 read the current export's `Star - Most Recently Assessed` and wrote
# False for both "not starred" and "not assessed". The store refuses older versions by name.
SCHEMA_VERSION = 2
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
        # (ogp/data/matching.py); snapshots written without them read as unmatched (ogp/data/store.py)
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
