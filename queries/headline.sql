-- Headline figures for the filtered commitments. "High completion" = Substantial or Complete
-- (best known: end of term, else mid-term); "ambitious" = potential impact Transformative or
-- potential for results Substantial; "strong results" = did it open government Major/Outstanding.
-- Counted per member x plan x kind first (one pass over the rows), then summed: the distinct
-- counts run over a few hundred groups instead of every row.
-- Over the pre-aggregated counts (queries/_setup.sql, commitment_counts); with a theme or
-- search term ogp/store.py runs headline__rows.sql over the rows instead.
WITH g AS (
    SELECT member_code, action_plan, kind,
           sum(n) AS n,
           coalesce(sum(n) FILTER (WHERE completion IN ('Not Started', 'Limited', 'Substantial', 'Complete')), 0) AS completion_assessed,
           coalesce(sum(n) FILTER (WHERE completion IN ('Substantial', 'Complete')), 0) AS high_completion,
           coalesce(sum(n) FILTER (WHERE potential_impact IS NOT NULL OR pfr_substantial IS NOT NULL), 0) AS ambition_assessed,
           coalesce(sum(n) FILTER (WHERE potential_impact = 'Transformative' OR pfr_substantial), 0) AS ambitious,
           coalesce(sum(n) FILTER (WHERE starred), 0) AS starred,
           coalesce(sum(n) FILTER (WHERE diog_strong IS NOT NULL), 0) AS diog_assessed,
           coalesce(sum(n) FILTER (WHERE diog_strong), 0) AS strong_results,
           coalesce(sum(n) FILTER (WHERE early_notable IS NOT NULL), 0) AS early_results_assessed,
           coalesce(sum(n) FILTER (WHERE early_notable), 0) AS notable_early_results,
           min(year_submitted) AS first_year,
           max(year_submitted) AS last_year,
           min(snapshot) AS oldest_snapshot,
           max(snapshot) AS newest_snapshot
    FROM filtered_counts($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
    GROUP BY member_code, action_plan, kind
)
SELECT
    count(DISTINCT member_code) FILTER (WHERE kind = 'national') AS members_national,
    count(DISTINCT member_code) FILTER (WHERE kind = 'local') AS members_local,
    count(DISTINCT member_code) AS members,
    count(DISTINCT (member_code, action_plan)) AS action_plans,
    coalesce(sum(n), 0)::BIGINT AS commitments,
    coalesce(sum(completion_assessed), 0)::BIGINT AS completion_assessed,
    coalesce(sum(high_completion), 0)::BIGINT AS high_completion,
    coalesce(sum(ambition_assessed), 0)::BIGINT AS ambition_assessed,
    coalesce(sum(ambitious), 0)::BIGINT AS ambitious,
    coalesce(sum(starred), 0)::BIGINT AS starred,
    coalesce(sum(diog_assessed), 0)::BIGINT AS diog_assessed,
    coalesce(sum(strong_results), 0)::BIGINT AS strong_results,
    coalesce(sum(early_results_assessed), 0)::BIGINT AS early_results_assessed,
    coalesce(sum(notable_early_results), 0)::BIGINT AS notable_early_results,
    min(first_year) AS first_year,
    max(last_year) AS last_year,
    min(oldest_snapshot) AS oldest_snapshot,
    max(newest_snapshot) AS newest_snapshot
FROM g
