-- Per action-plan cycle: share of assessed commitments with high completion at mid-term
-- and at end of term (each among the commitments assessed at that stage).
-- Over filtered_counts (queries/_setup.sql: pre-aggregated counts; rows for a search term).
SELECT action_plan,
       coalesce(sum(n) FILTER (WHERE midterm_rated), 0)::BIGINT AS midterm_assessed,
       coalesce(sum(n) FILTER (WHERE midterm_high), 0)::BIGINT AS midterm_high,
       coalesce(sum(n) FILTER (WHERE end_rated), 0)::BIGINT AS end_assessed,
       coalesce(sum(n) FILTER (WHERE end_high), 0)::BIGINT AS end_high
FROM filtered_counts($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q)
GROUP BY action_plan
ORDER BY action_plan
