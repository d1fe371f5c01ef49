-- Row-level variant of headline.sql, run by ogp/store.py when a theme or search term is set
-- (commitment_counts has no theme mask and no text); results identical.
-- Headline figures for the filtered commitments. "High completion" = Substantial or Complete
-- (best known: end of term, else mid-term); "ambitious" = potential impact Transformative or
-- potential for results Substantial; "strong results" = did it open government Major/Outstanding.
-- Counted per member x plan x kind first (one pass over the rows), then summed: the distinct
-- counts run over a few hundred groups instead of every row.
WITH g AS (
    SELECT member_code, action_plan, kind,
           count(*) AS n,
           count(*) FILTER (WHERE completion IN ('Not Started', 'Limited', 'Substantial', 'Complete')) AS completion_assessed,
           count(*) FILTER (WHERE completion IN ('Substantial', 'Complete')) AS high_completion,
           count(*) FILTER (WHERE potential_impact IS NOT NULL OR potential_for_results IS NOT NULL) AS ambition_assessed,
           count(*) FILTER (WHERE potential_impact = 'Transformative' OR potential_for_results = 'Substantial') AS ambitious,
           count(*) FILTER (WHERE starred) AS starred,
           count(*) FILTER (WHERE diog IS NOT NULL) AS diog_assessed,
           count(*) FILTER (WHERE diog IN ('Major', 'Outstanding')) AS strong_results,
           count(*) FILTER (WHERE early_results IS NOT NULL) AS early_results_assessed,
           count(*) FILTER (WHERE early_results IN ('Moderate', 'Significant')) AS notable_early_results,
           min(year_submitted) AS first_year,
           max(year_submitted) AS last_year,
           min(snapshot) AS oldest_snapshot,
           max(snapshot) AS newest_snapshot
    FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
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
