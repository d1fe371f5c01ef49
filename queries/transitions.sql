-- Commitments present in both snapshots and passing the filters (in the later one): best
-- known completion in the earlier snapshot against the later. The earlier level comes from the
-- row's `levels` (queries/_setup.sql), not from a join with the earlier snapshot. Both levels
-- are the latest rating (end of term, else mid-term) whatever $rating says: $rating only
-- chooses which rating the completion filter reads.
SELECT completion_of_code(from_code) AS from_level, to_level, commitments
FROM (
    SELECT level_in(levels, $from_snapshot) AS from_code,
           latest_completion(completion_midterm, completion_end) AS to_level, count(*) AS commitments
    FROM filtered($to_snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q)
    GROUP BY ALL
)
WHERE from_code > 0
