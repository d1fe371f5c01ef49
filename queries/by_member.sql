-- One row per member among the filtered commitments, with the facts maps and lists need.
-- Counted per member x plan first (one pass over the rows), then per member.
-- Over filtered_counts (queries/_setup.sql: pre-aggregated counts; rows for a search term).
WITH p AS (
    SELECT member_code, action_plan,
           sum(n) AS n,
           coalesce(sum(n) FILTER (WHERE completion_rated), 0) AS completion_assessed,
           coalesce(sum(n) FILTER (WHERE completion_high), 0) AS high_completion,
           coalesce(sum(n) FILTER (WHERE is_ambitious(impact_transformative, pfr_substantial)), 0) AS ambitious,
           coalesce(sum(n) FILTER (WHERE potential_impact IS NOT NULL OR pfr_substantial IS NOT NULL), 0) AS ambition_assessed,
           coalesce(sum(n) FILTER (WHERE starred IS NOT NULL), 0) AS star_assessed,
           coalesce(sum(n) FILTER (WHERE starred), 0) AS starred,
           coalesce(sum(n) FILTER (WHERE diog_strong), 0) AS strong_results,
           min(year_submitted) AS first_year,
           max(year_submitted) AS last_year
    FROM filtered_counts($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q)
    GROUP BY member_code, action_plan
), c AS (
    SELECT member_code,
           sum(n)::BIGINT AS commitments,
           count(action_plan) AS action_plans,
           sum(completion_assessed)::BIGINT AS completion_assessed,
           sum(high_completion)::BIGINT AS high_completion,
           sum(ambitious)::BIGINT AS ambitious,
           sum(ambition_assessed)::BIGINT AS ambition_assessed,
           sum(star_assessed)::BIGINT AS star_assessed,
           sum(starred)::BIGINT AS starred,
           sum(strong_results)::BIGINT AS strong_results,
           min(first_year) AS first_year,
           max(last_year) AS last_year
    FROM p
    GROUP BY member_code
)
SELECT
    c.member_code,
    m.member_name,
    m.kind,
    m.iso3,
    m.region,
    m.status,
    m.lat,
    m.lon,
    c.commitments,
    c.action_plans,
    c.completion_assessed,
    c.high_completion,
    round(100.0 * c.high_completion / nullif(c.completion_assessed, 0), 1) AS high_completion_pct,
    c.ambitious,
    c.ambition_assessed,
    round(100.0 * c.ambitious / nullif(c.ambition_assessed, 0), 1) AS ambitious_pct,
    c.star_assessed,
    c.starred,
    round(100.0 * c.starred / nullif(c.star_assessed, 0), 1) AS starred_pct,
    c.strong_results,
    c.first_year,
    c.last_year
FROM c
JOIN members AS m USING (member_code)
ORDER BY member_name
