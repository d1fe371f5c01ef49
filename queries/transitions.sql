-- Commitments present in both snapshots and passing the filters (in the later one): best
-- known completion in the earlier snapshot against the later.
SELECT a.completion AS from_level, b.completion AS to_level, count(*) AS commitments
FROM filtered($to_snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q) AS b
JOIN commitments_core AS a ON a.kid = b.kid AND a.snapshot = TRY_CAST($from_snapshot AS DATE)
GROUP BY ALL
