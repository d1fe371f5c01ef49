-- Commitments per action-plan cycle and potential impact (ambition) level.
-- Over filtered_counts (queries/_setup.sql: pre-aggregated counts; rows for a search term).
SELECT action_plan, potential_impact, sum(n)::BIGINT AS commitments
FROM filtered_counts($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q)
GROUP BY ALL
ORDER BY action_plan, potential_impact
