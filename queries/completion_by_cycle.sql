-- Commitments per action-plan cycle (a member's 1st, 2nd, ... plan) and completion level.
SELECT action_plan, completion, count(*) AS commitments
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
GROUP BY ALL
ORDER BY action_plan, completion
