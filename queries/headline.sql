-- Headline figures for the filtered commitments; each measure's definition (numerator,
-- denominator, scale, label) is in ogp/measures.py, shown on /methodology.
-- Summed per member x plan, then per member, then overall: plain sums over a few hundred
-- groups, no DISTINCT (a count(DISTINCT) per figure was the query's main cost).
-- Over filtered_counts (queries/_setup.sql: pre-aggregated counts; rows for a search term).
WITH p AS (
    SELECT member_code, action_plan, any_value(kind) AS kind,
           sum(n) AS n,
           coalesce(sum(n) FILTER (WHERE completion_rated), 0) AS completion_assessed,
           coalesce(sum(n) FILTER (WHERE completion_high), 0) AS high_completion,
           coalesce(sum(n) FILTER (WHERE potential_impact IS NOT NULL OR pfr_substantial IS NOT NULL), 0) AS ambition_assessed,
           coalesce(sum(n) FILTER (WHERE is_ambitious(potential_impact, pfr_substantial)), 0) AS ambitious,
           coalesce(sum(n) FILTER (WHERE potential_impact IS NOT NULL), 0) AS impact_assessed,
           coalesce(sum(n) FILTER (WHERE is_transformative(potential_impact)), 0) AS transformative,
           coalesce(sum(n) FILTER (WHERE pfr_substantial IS NOT NULL), 0) AS results_assessed,
           coalesce(sum(n) FILTER (WHERE pfr_substantial), 0) AS substantial_results,
           coalesce(sum(n) FILTER (WHERE starred IS NOT NULL), 0) AS star_assessed,
           coalesce(sum(n) FILTER (WHERE starred), 0) AS starred,
           coalesce(sum(n) FILTER (WHERE diog_strong IS NOT NULL), 0) AS diog_assessed,
           coalesce(sum(n) FILTER (WHERE diog_strong), 0) AS strong_results,
           coalesce(sum(n) FILTER (WHERE early_notable IS NOT NULL), 0) AS early_results_assessed,
           coalesce(sum(n) FILTER (WHERE early_notable), 0) AS notable_early_results,
           min(year_submitted) AS first_year,
           max(year_submitted) AS last_year,
           min(snapshot) AS oldest_snapshot,
           max(snapshot) AS newest_snapshot
    FROM filtered_counts($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q)
    GROUP BY member_code, action_plan
), m AS (
    SELECT member_code, any_value(kind) AS kind, count(*) AS action_plans,
           sum(n) AS n, sum(completion_assessed) AS completion_assessed, sum(high_completion) AS high_completion,
           sum(ambition_assessed) AS ambition_assessed, sum(ambitious) AS ambitious,
           sum(star_assessed) AS star_assessed, sum(starred) AS starred,
           sum(impact_assessed) AS impact_assessed, sum(transformative) AS transformative,
           sum(results_assessed) AS results_assessed, sum(substantial_results) AS substantial_results,
           sum(diog_assessed) AS diog_assessed, sum(strong_results) AS strong_results,
           sum(early_results_assessed) AS early_results_assessed, sum(notable_early_results) AS notable_early_results,
           min(first_year) AS first_year, max(last_year) AS last_year,
           min(oldest_snapshot) AS oldest_snapshot, max(newest_snapshot) AS newest_snapshot
    FROM p
    GROUP BY member_code
)
SELECT
    count(*) FILTER (WHERE kind = 'national') AS members_national,
    count(*) FILTER (WHERE kind = 'local') AS members_local,
    count(*) AS members,
    coalesce(sum(action_plans), 0)::BIGINT AS action_plans,
    coalesce(sum(n), 0)::BIGINT AS commitments,
    coalesce(sum(completion_assessed), 0)::BIGINT AS completion_assessed,
    coalesce(sum(high_completion), 0)::BIGINT AS high_completion,
    coalesce(sum(ambition_assessed), 0)::BIGINT AS ambition_assessed,
    coalesce(sum(ambitious), 0)::BIGINT AS ambitious,
    coalesce(sum(impact_assessed), 0)::BIGINT AS impact_assessed,
    coalesce(sum(transformative), 0)::BIGINT AS transformative,
    coalesce(sum(results_assessed), 0)::BIGINT AS results_assessed,
    coalesce(sum(substantial_results), 0)::BIGINT AS substantial_results,
    coalesce(sum(star_assessed), 0)::BIGINT AS star_assessed,
    coalesce(sum(starred), 0)::BIGINT AS starred,
    coalesce(sum(diog_assessed), 0)::BIGINT AS diog_assessed,
    coalesce(sum(strong_results), 0)::BIGINT AS strong_results,
    coalesce(sum(early_results_assessed), 0)::BIGINT AS early_results_assessed,
    coalesce(sum(notable_early_results), 0)::BIGINT AS notable_early_results,
    min(first_year) AS first_year,
    max(last_year) AS last_year,
    min(oldest_snapshot) AS oldest_snapshot,
    max(newest_snapshot) AS newest_snapshot
FROM m
