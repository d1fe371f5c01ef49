-- Commitments present in both snapshots: best known completion in the earlier one against the later.
SELECT a.completion AS from_level, b.completion AS to_level, count(*) AS commitments
FROM commitments_all AS a
JOIN commitments_all AS b ON a.key = b.key
WHERE a.snapshot = TRY_CAST($from_snapshot AS DATE) AND b.snapshot = TRY_CAST($to_snapshot AS DATE)
  AND ($theme IS NULL OR list_contains(b.themes, $theme))
  AND ($members IS NULL OR list_contains($members, b.member_code))
GROUP BY ALL
