-- Row-level variant of ambition_by_cycle.sql, run by ogp/store.py when a theme or search term is set
-- (commitment_counts has no theme mask and no text); results identical.
-- Commitments per action-plan cycle and potential impact (ambition) level.
SELECT action_plan, potential_impact, count(*) AS commitments
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
GROUP BY ALL
ORDER BY action_plan, potential_impact
