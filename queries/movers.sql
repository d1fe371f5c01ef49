-- Commitments whose completion level changed between two snapshots, biggest moves first.
SELECT b.key, b.ogp_id, b.member_name, b.action_plan, b.title,
       a.completion AS from_level, b.completion AS to_level,
       coalesce(rb.rank, -1) - coalesce(ra.rank, -1) AS change, b.url
FROM commitments_all AS a
JOIN commitments_all AS b ON a.key = b.key
LEFT JOIN scales AS ra ON ra.scale = 'completion' AND ra.level = a.completion
LEFT JOIN scales AS rb ON rb.scale = 'completion' AND rb.level = b.completion
WHERE a.snapshot = TRY_CAST($from_snapshot AS DATE) AND b.snapshot = TRY_CAST($to_snapshot AS DATE)
  AND a.completion IS DISTINCT FROM b.completion
  AND ($theme IS NULL OR list_contains(b.themes, $theme))
  AND ($members IS NULL OR list_contains($members, b.member_code))
ORDER BY change DESC, b.member_name, b.key
