-- Built once when the store opens, over the views commitments_raw, members_raw and
-- action_plans_raw (every snapshot's parquet, with its `snapshot` date; commitments_raw also
-- has each row's file row number `row_no` and a row id `rid`, see ogp/store.py).
--
-- Only what the pages filter, group and list is held in memory (commitments_core); the long
-- text (descriptions, supporting institutions, ...) stays in the parquet files and is read by
-- row number when one commitment or an export needs it (commitments_all). Search runs over a
-- lower-cased text table of the latest rows (commitment_search).

-- Members: the newest snapshot's facts about each member win.
-- Tables, not views: the data is read-only while the store is open, and a window per query is
-- paid on every page (`python -m ogp bench` measures the pages).
CREATE TABLE members_all AS SELECT * FROM members_raw;
CREATE TABLE members AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY member_code ORDER BY snapshot DESC) AS rn FROM members_all
) WHERE rn = 1;

CREATE TABLE action_plans_all AS SELECT * FROM action_plans_raw;

-- Themes (data/themes.toml) as bits: theme i (in name order) is bit i of a commitment's
-- theme_mask, the OR of the bits of its policy areas (grouped by the integer row id, not by
-- key and snapshot; no list of names is built per row).
CREATE TABLE theme_bits AS
SELECT theme, (1::UBIGINT << (row_number() OVER (ORDER BY theme) - 1)::UTINYINT) AS bit
FROM (SELECT DISTINCT theme FROM theme_areas);
CREATE TEMP TABLE area_bits AS
SELECT ta.schema, ta.area, bit_or(tb.bit) AS bits FROM theme_areas ta JOIN theme_bits tb USING (theme) GROUP BY ALL;
-- Theme names in name order, to turn a mask back into the sorted list of themes.
CREATE MACRO theme_list(mask) AS
    list_filter((SELECT coalesce(list(theme ORDER BY theme), []::VARCHAR[]) FROM theme_bits),
                lambda t, i: (mask >> (i - 1)::UTINYINT) & 1::UBIGINT = 1::UBIGINT);
CREATE MACRO theme_bit(p_theme) AS coalesce((SELECT bit FROM theme_bits WHERE theme = p_theme), 0::UBIGINT);

CREATE TEMP TABLE row_themes AS
SELECT u.rid, bit_or(ab.bits) AS theme_mask
FROM (SELECT rid, source_schema, unnest(policy_areas) AS area FROM commitments_raw) u
JOIN area_bits ab ON ab.area = u.area AND ab.schema = u.source_schema
GROUP BY u.rid;

-- The IRM's rules, written once (ogp/scales.py: the levels of each scale, in order, and which
-- of them count as high), as macros over the scales table: every query counts with these and
-- none spells a level name. Each is NULL for a NULL value (not rated), as `value IN (...)` is.
-- Rated: an ordered level of the scale (for completion not Withdrawn, Unclear or No Evidence
-- Available); high: the levels ogp/scales.py HIGH names; low completion: rated and not high.
CREATE MACRO rated_levels(p_scale) AS (SELECT list(level ORDER BY rank) FROM scales WHERE scale = p_scale AND rank >= 0);
CREATE MACRO high_levels(p_scale) AS (SELECT list(level ORDER BY rank) FROM scales WHERE scale = p_scale AND high);
CREATE MACRO is_completion_rated(p_level) AS list_contains(rated_levels('completion'), p_level);
CREATE MACRO is_high_completion(p_level) AS list_contains(high_levels('completion'), p_level);
CREATE MACRO is_low_completion(p_level) AS is_completion_rated(p_level) AND NOT is_high_completion(p_level);
CREATE MACRO is_transformative(p_impact) AS list_contains(high_levels('potential_impact'), p_impact);
CREATE MACRO is_substantial_results(p_results) AS list_contains(high_levels('potential_for_results'), p_results);
-- Ambitious: top of either ambition scale (the arguments: is_transformative(potential impact),
-- is_substantial_results(potential for results), as commitments_core holds them).
CREATE MACRO is_ambitious(p_transformative, p_substantial_results) AS p_transformative OR p_substantial_results;
CREATE MACRO opened_government(p_diog) AS list_contains(high_levels('diog'), p_diog);
CREATE MACRO notable_early_results(p_early) AS list_contains(high_levels('early_results'), p_early);
-- For ordering strongest first: 0 for the top level of the scale, 1 for the next high one, ...,
-- the number of high levels for any other value.
CREATE MACRO high_order(p_scale, p_level) AS
    coalesce(len(high_levels(p_scale)) - list_position(high_levels(p_scale), p_level), len(high_levels(p_scale)));

-- Which completion rating a figure reads: the filter bar's "Completion rating" (ogp/filters.py
-- RATINGS), bound as $rating. NULL: the latest rating, end of term where there is one, else
-- mid-term; 'end': the end-of-term rating only; 'midterm': the mid-term rating only.
CREATE MACRO latest_completion(p_midterm, p_end) AS coalesce(p_end, p_midterm);
CREATE MACRO completion_rating(p_rating, p_midterm, p_end) AS
    CASE p_rating WHEN 'end' THEN p_end WHEN 'midterm' THEN p_midterm ELSE latest_completion(p_midterm, p_end) END;

-- A key's best known completion in each of the newest LEVEL_SLOTS (16) snapshots, packed in one
-- integer per row (`levels`): 4 bits per snapshot, at the snapshot's `slot` in snapshot_numbers
-- (made by ogp/store.py; 0 = the newest). A slot holds 0 when the key is not in that snapshot,
-- 1 when it is there without a completion rating, 1 + completion_code otherwise. Progress
-- reads a commitment's earlier level from it (level_in) instead of joining two snapshots, which
-- at a million rows each dominated transitions and movers.
CREATE MACRO completion_levels() AS (SELECT list(level ORDER BY rank, level) FROM scales WHERE scale = 'completion');
CREATE MACRO completion_code(c) AS coalesce(list_position(completion_levels(), c), 0);
CREATE MACRO completion_of_code(code) AS CASE WHEN code >= 2 THEN completion_levels()[(code - 1)::BIGINT] END;
CREATE MACRO level_in(levels, p_snap) AS
    (levels >> (4 * (SELECT slot FROM snapshot_numbers WHERE snapshot = TRY_CAST(p_snap AS DATE)))) & 15::UBIGINT;

-- The newest snapshot holding each key (an aggregate, not a window over every row) and its levels.
CREATE TEMP TABLE key_latest AS
SELECT r.key, max(r.snapshot) AS latest,
       coalesce(bit_or((1 + completion_code(latest_completion(r.completion_midterm, r.completion_end)))::UBIGINT << (4 * n.slot)),
                0::UBIGINT) AS levels
FROM commitments_raw r JOIN snapshot_numbers n USING (snapshot)
GROUP BY r.key;

-- Keys whose commitment a newer snapshot holds in another form (ogp/matching.py, `group`): a
-- row's `links` name the keys of its group or its parts in another snapshot. Of two linked
-- keys, the one whose newest row is older is superseded: the latest state counts the newer
-- export's form once (Croatia's 2024 commitment 5, not the legacy rows 5.1 and 5.2).
CREATE TEMP TABLE superseded AS
WITH edges AS (
    SELECT key AS a, unnest(links) AS b FROM commitments_raw WHERE len(links) > 0
), both_ways AS (
    SELECT a, b FROM edges UNION SELECT b, a FROM edges
)
SELECT DISTINCT e.a AS key
FROM both_ways e JOIN key_latest ka ON ka.key = e.a JOIN key_latest kb ON kb.key = e.b
WHERE kb.latest > ka.latest;

-- No ORDER BY: every query orders its own (small) result.
CREATE TABLE commitments_core AS
SELECT c.rid, c.snapshot, c.row_no,
       c.key, c.ogp_id, c.member_code, c.member_name, c.action_plan, c.commitment_no, c.title,
       c.year_submitted, c.ap_end_year, c.specificity, c.potential_impact, c.completion_midterm,
       c.completion_end, c.potential_for_results, c.early_results, c.diog, c.starred,
       c.lead_institution, c.url,
       m.region, m.kind, m.iso3,
       coalesce(t.theme_mask, 0::UBIGINT) AS theme_mask,
       latest_completion(c.completion_midterm, c.completion_end) AS completion,
       c.snapshot = k.latest AND s.key IS NULL AS is_latest,
       k.levels,
       -- At risk: its action plan was still open at the snapshot's date (end year not passed)
       -- and its latest assessment says not started or limited (queries/at_risk.sql).
       c.ap_end_year >= year(c.snapshot) AND is_low_completion(latest_completion(c.completion_midterm, c.completion_end)) AS at_risk,
       -- The number before the first dot of commitment_no ('10.2' -> 10): lists sort 2 before 10.
       try_cast(split_part(c.commitment_no, '.', 1) AS INTEGER) AS commitment_num,
       -- The rules, applied once per row (NULL when not rated): queries count these columns,
       -- so a rule's list of levels is not looked up per row and per query (that made the
       -- aggregate queries 1.5x slower), and commitment_counts stays small: e.g. diog_strong =
       -- opened_government(diog). Completion has both ratings' (filtered(...) gives the chosen
       -- one's as completion_rated / completion_high, with completion_rating).
       is_transformative(c.potential_impact) AS impact_transformative,
       is_substantial_results(c.potential_for_results) AS pfr_substantial,
       opened_government(c.diog) AS diog_strong,
       notable_early_results(c.early_results) AS early_notable,
       is_completion_rated(c.completion_midterm) AS midterm_rated,
       is_high_completion(c.completion_midterm) AS midterm_high,
       is_completion_rated(c.completion_end) AS end_rated,
       is_high_completion(c.completion_end) AS end_high
FROM commitments_raw c
LEFT JOIN key_latest k ON k.key IS NOT DISTINCT FROM c.key
LEFT JOIN superseded s ON s.key = c.key
LEFT JOIN members_all m ON m.member_code = c.member_code AND m.snapshot = c.snapshot
LEFT JOIN row_themes t ON t.rid = c.rid;

DROP TABLE key_latest;
DROP TABLE superseded;
DROP TABLE row_themes;
DROP TABLE area_bits;

-- Search text of the latest rows (search_text below: the searched fields folded and joined),
-- filled in the background after the store opens (queries/_search.sql); until then
-- search_hits reads the parquet files.
CREATE TABLE commitment_search (rid BIGINT, txt VARCHAR);

-- commitments_all (every column of every commitment row, as the parquet files hold them, plus
-- the derived ones) and commitments (its latest rows) are views made by ogp/store.py after this
-- script: one join of commitments_core with each snapshot's file, so a lookup reads only the
-- row groups of the rows it wants in each file.

-- Action plans: latest state per member x plan.
CREATE TABLE action_plans AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY member_code, action_plan ORDER BY snapshot DESC) AS rn
    FROM action_plans_all
) WHERE rn = 1;

-- The rows a page looks at: the latest state of every commitment (snap NULL) or one snapshot.
-- In-memory columns only (see commitments_core), plus `themes`.
CREATE MACRO scoped(p_snap) AS TABLE
SELECT *, theme_list(theme_mask) AS themes FROM commitments_core
WHERE (p_snap IS NULL AND is_latest) OR snapshot = TRY_CAST(p_snap AS DATE);

-- Whole-word search, accents and case folded: "agua" finds "Agua potable" and not "Paraguay",
-- "informacion" finds "Información", "open data" finds "open-data". A text is kept folded
-- (lower-cased, accents stripped: cheap, and built once); a term is cut into its words (runs of
-- letters and digits), which must stand in the text as whole words, in that order, separated by
-- anything but a letter, a digit or chr(30) (the record separator, which joins the searched fields:
-- a phrase never runs from one field into the next). The pattern holds only those words, each
-- passed through regexp_escape: no character of the term has a meaning of its own.
CREATE MACRO search_fold(s) AS strip_accents(lower(coalesce(s, '')));
CREATE MACRO search_text(title, description, lead, supporting) AS
    concat_ws(chr(30), search_fold(title), search_fold(description), search_fold(lead), search_fold(supporting));
CREATE MACRO search_words(p_q) AS
    list_filter(regexp_split_to_array(search_fold(p_q), '[^\p{L}\p{N}]+'), lambda w: w <> '');
-- A term without a letter or digit ("%", "(") is looked for as typed, folded.
CREATE MACRO search_pattern(p_q) AS
    CASE WHEN len(search_words(p_q)) > 0
         THEN '(^|[^\p{L}\p{N}])'
              || array_to_string(list_transform(search_words(p_q), lambda w: regexp_escape(w)), '[^\p{L}\p{N}\x1e]+')
              || '($|[^\p{L}\p{N}])'
         ELSE regexp_escape(search_fold(p_q)) END;
-- The longest word (else the folded term): a text that matches holds it, so rows without it skip
-- the pattern.
CREATE MACRO search_probe(p_q) AS
    CASE WHEN len(search_words(p_q)) > 0
         THEN list_reduce(search_words(p_q), lambda a, b: CASE WHEN length(b) > length(a) THEN b ELSE a END)
         ELSE search_fold(p_q) END;

-- Row ids whose title, description, lead or supporting institutions match p_pattern (a term's
-- search_pattern, p_probe its search_probe: computed once per term by ogp/store.py), read from
-- the parquet files: every snapshot's rows (p_snap NULL: filtered() keeps the latest) or one
-- snapshot's.
CREATE MACRO search_hits_files(p_snap, p_pattern, p_probe) AS TABLE
SELECT rid FROM (
    SELECT rid, search_text(title, description, lead_institution, supporting_institutions) AS txt
    FROM commitments_raw WHERE p_snap IS NULL OR snapshot = TRY_CAST(p_snap AS DATE)
) WHERE CASE WHEN contains(txt, p_probe) THEN regexp_matches(txt, p_pattern) ELSE false END;
-- The same for the latest state, read from the files until queries/_search.sql replaces it with
-- a scan of commitment_search.
CREATE MACRO search_hits(p_pattern, p_probe) AS TABLE
SELECT rid FROM search_hits_files(NULL, p_pattern, p_probe);

-- The rows matching the current search term: ogp/store.py registers `search_result` (the rids of
-- search_hits and id_hits for the term, computed once per term and snapshot and kept for the
-- next queries) on the cursor of every query with a search term. This empty table stands in for
-- the others.
CREATE TABLE search_result (rid BIGINT);

-- The dashboard's filters. A NULL argument means "no filter".
-- `completion` is the rating p_rating chooses (completion_rating), for the completion filter and
-- for every query that reads it; completion_rated / completion_high are that rating's rules
-- (is_completion_rated / is_high_completion, as commitments_core applies them).
CREATE MACRO filtered(p_snap, p_members, p_regions, p_kinds, p_theme, p_year_from, p_year_to, p_completion, p_rating, p_ambition, p_q) AS TABLE
SELECT * REPLACE (completion_rating(p_rating, completion_midterm, completion_end) AS completion),
       completion_rating(p_rating, midterm_rated, end_rated) AS completion_rated,
       completion_rating(p_rating, midterm_high, end_high) AS completion_high
FROM scoped(p_snap)
WHERE (p_members IS NULL OR list_contains(p_members, member_code))
  AND (p_regions IS NULL OR list_contains(p_regions, region))
  AND (p_kinds IS NULL OR list_contains(p_kinds, kind))
  AND (p_theme IS NULL OR theme_mask & theme_bit(p_theme) <> 0::UBIGINT)
  AND (p_year_from IS NULL OR year_submitted >= p_year_from)
  AND (p_year_to IS NULL OR year_submitted <= p_year_to)
  AND (p_completion IS NULL OR list_contains(p_completion, completion_rating(p_rating, completion_midterm, completion_end)))
  AND (p_ambition IS NULL OR list_contains(p_ambition, potential_impact))
  AND (p_q IS NULL OR rid IN (SELECT rid FROM search_result));

-- Rows whose key or OGP id is the search term (any case): part of a search's result, with
-- search_hits (ogp/store.py).
CREATE MACRO id_hits(p_snap, p_q) AS TABLE
SELECT rid FROM commitments_core
WHERE ((p_snap IS NULL AND is_latest) OR snapshot = TRY_CAST(p_snap AS DATE))
  AND (lower(key) = lower(p_q) OR lower(coalesce(ogp_id, '')) = lower(p_q));

-- Pre-aggregated counts for the aggregate queries (headline, completion_by_year,
-- completion_by_cycle, ambition_by_cycle, by_member, midterm_vs_end): one row per distinct
-- combination of what the filters and those queries look at, with `n` rows.
-- `theme` NULL: all commitments; `theme` = a slug: the commitments of that theme (a commitment
-- is counted once per theme it has). Sorted by theme, so a theme filter reads only that theme's
-- row groups. ~2 x 10^5 groups for 2.7M rows, plus the themes' groups.
CREATE TABLE commitment_counts AS
WITH g AS (
    SELECT snapshot, is_latest, member_code, region, kind, action_plan, year_submitted, completion_midterm, completion_end,
           potential_impact, impact_transformative, pfr_substantial, starred, diog_strong, early_notable,
           midterm_rated, midterm_high, end_rated, end_high, theme_mask,
           count(*) AS n
    FROM commitments_core GROUP BY ALL
)
SELECT NULL::VARCHAR AS theme, * EXCLUDE (theme_mask, n), sum(n)::BIGINT AS n FROM g GROUP BY ALL
UNION ALL
SELECT tb.theme, g.* EXCLUDE (theme_mask, n), sum(g.n)::BIGINT AS n
FROM g JOIN theme_bits tb ON g.theme_mask & tb.bit <> 0::UBIGINT GROUP BY ALL
ORDER BY theme NULLS FIRST;

-- filtered(...) as counts: same signature and filters, columns of commitment_counts (sum `n`,
-- never count(*)) and `completion`, `completion_rated`, `completion_high` as filtered(...) gives
-- them (both ratings are dimensions of commitment_counts, so any choice reads the same table). Text is not a dimension of commitment_counts, so with a search term
-- ogp/store.py runs the query over filtered_row_counts(...) instead: the filtered rows, n = 1.
-- (One macro with both as UNION ALL branches gives the same results, but every query would
-- pay for binding the unused branch.)
CREATE MACRO filtered_counts(p_snap, p_members, p_regions, p_kinds, p_theme, p_year_from, p_year_to, p_completion, p_rating, p_ambition, p_q) AS TABLE
SELECT * EXCLUDE (theme), completion_rating(p_rating, completion_midterm, completion_end) AS completion,
       completion_rating(p_rating, midterm_rated, end_rated) AS completion_rated,
       completion_rating(p_rating, midterm_high, end_high) AS completion_high
FROM commitment_counts
WHERE ((p_theme IS NULL AND theme IS NULL) OR theme = p_theme)
  AND ((p_snap IS NULL AND is_latest) OR snapshot = TRY_CAST(p_snap AS DATE))
  AND (p_members IS NULL OR list_contains(p_members, member_code))
  AND (p_regions IS NULL OR list_contains(p_regions, region))
  AND (p_kinds IS NULL OR list_contains(p_kinds, kind))
  AND (p_year_from IS NULL OR year_submitted >= p_year_from)
  AND (p_year_to IS NULL OR year_submitted <= p_year_to)
  AND (p_completion IS NULL OR list_contains(p_completion, completion_rating(p_rating, completion_midterm, completion_end)))
  AND (p_ambition IS NULL OR list_contains(p_ambition, potential_impact))
  AND CASE WHEN p_q IS NULL THEN true
           ELSE error('filtered_counts: a search term needs filtered_row_counts (ogp/store.py)') END;
CREATE MACRO filtered_row_counts(p_snap, p_members, p_regions, p_kinds, p_theme, p_year_from, p_year_to, p_completion, p_rating, p_ambition, p_q) AS TABLE
SELECT snapshot, is_latest, member_code, region, kind, action_plan, year_submitted, completion_midterm, completion_end,  -- as g above
       potential_impact, impact_transformative, pfr_substantial, starred, diog_strong, early_notable,
       midterm_rated, midterm_high, end_rated, end_high, 1::BIGINT AS n, completion, completion_rated, completion_high
FROM filtered(p_snap, p_members, p_regions, p_kinds, p_theme, p_year_from, p_year_to, p_completion, p_rating, p_ambition, p_q);

-- Members that have commitments in any snapshot (member_options).
CREATE TABLE member_codes AS SELECT DISTINCT member_code FROM commitments_core;

-- Group links (ogp/matching.py `links`) of every row, read once: the monitor's change list
-- calls a commitment linked across two snapshots 'regrouped' (queries/monitor_changes.sql).
CREATE TABLE group_links AS
SELECT key, unnest(links) AS other, snapshot FROM commitments_raw WHERE len(links) > 0;

-- Monitoring (ogp/monitor.py, which holds the definitions; queries/monitor_*.sql): when an
-- action plan ends. Its end year, or its submission year plus p_plan_years when the end year is
-- missing; a plan counts as ended on 31 December of that year (end years carry no month).
CREATE MACRO plan_end_year(p_end_year, p_year_submitted, p_plan_years) AS
    coalesce(p_end_year, p_year_submitted + p_plan_years);
CREATE MACRO plan_end_date(p_end_year) AS make_date(p_end_year::BIGINT, 12, 31);
