-- Commitments whose completion level changed between two snapshots, biggest moves first.
SELECT b.key, b.ogp_id, b.member_name, b.action_plan, b.title,
       a.completion AS from_level, b.completion AS to_level,
       coalesce(rb.rank, -1) - coalesce(ra.rank, -1) AS change, b.url
FROM filtered($to_snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q) AS b
JOIN commitments_core AS a ON a.kid = b.kid AND a.snapshot = TRY_CAST($from_snapshot AS DATE)
LEFT JOIN scales AS ra ON ra.scale = 'completion' AND ra.level = a.completion
LEFT JOIN scales AS rb ON rb.scale = 'completion' AND rb.level = b.completion
WHERE a.completion IS DISTINCT FROM b.completion
ORDER BY change DESC, b.member_name, b.key
LIMIT $limit
