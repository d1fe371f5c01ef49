-- Row-level variant of midterm_vs_end.sql, run by ogp/store.py when a theme or search term is set
-- (commitment_counts has no theme mask and no text); results identical.
-- Per action-plan cycle: share of assessed commitments with high completion at mid-term
-- and at end of term (each among the commitments assessed at that stage).
SELECT action_plan,
       count(*) FILTER (WHERE completion_midterm IN ('Not Started', 'Limited', 'Substantial', 'Complete')) AS midterm_assessed,
       count(*) FILTER (WHERE completion_midterm IN ('Substantial', 'Complete')) AS midterm_high,
       count(*) FILTER (WHERE completion_end IN ('Not Started', 'Limited', 'Substantial', 'Complete')) AS end_assessed,
       count(*) FILTER (WHERE completion_end IN ('Substantial', 'Complete')) AS end_high
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
GROUP BY action_plan
ORDER BY action_plan
