-- Commitments per action-plan cycle (a member's 1st, 2nd, ... plan) and completion level.
-- Over the pre-aggregated counts; with a theme or search term: completion_by_cycle__rows.sql.
SELECT action_plan, completion, sum(n)::BIGINT AS commitments
FROM filtered_counts($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
GROUP BY ALL
ORDER BY action_plan, completion
