-- Commitments per action-plan cycle and potential impact (ambition) level.
-- Over the pre-aggregated counts; with a theme or search term: ambition_by_cycle__rows.sql.
SELECT action_plan, potential_impact, sum(n)::BIGINT AS commitments
FROM filtered_counts($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
GROUP BY ALL
ORDER BY action_plan, potential_impact
