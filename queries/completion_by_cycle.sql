-- Commitments per action-plan cycle (a member's 1st, 2nd, ... plan) and completion level.
-- Over filtered_counts (queries/_setup.sql: pre-aggregated counts; rows for a search term).
SELECT action_plan, completion, sum(n)::BIGINT AS commitments
FROM filtered_counts($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q)
GROUP BY ALL
ORDER BY action_plan, completion
