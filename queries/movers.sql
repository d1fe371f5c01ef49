-- Commitments whose completion level changed between two snapshots: rated in both (codes > 1:
-- a first rating after "not assessed" is not a move), at different levels; biggest moves first.
-- The earlier level comes from the row's `levels` (queries/_setup.sql); the moves are ranked on
-- row ids, then the shown rows' columns are read. $direction: 1 up the scale, -1 down it, NULL
-- any change (a move to or from a level outside the scale is neither up nor down). Levels are
-- the latest rating in each snapshot, as in transitions.sql.
WITH m AS (
    SELECT rid, member_name, key, completion_of_code(from_code) AS from_level,
           latest_completion(completion_midterm, completion_end) AS to_level
    FROM (SELECT *, level_in(levels, $from_snapshot) AS from_code, level_in(levels, $to_snapshot) AS to_code
          FROM filtered($to_snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q))
    WHERE from_code > 1 AND to_code > 1 AND from_code <> to_code
), ranked AS (
    SELECT m.*, coalesce(rb.rank, -1) - coalesce(ra.rank, -1) AS change,
           CASE WHEN ra.rank >= 0 AND rb.rank >= 0 THEN sign(rb.rank - ra.rank) ELSE 0 END AS direction
    FROM m
    LEFT JOIN scales AS ra ON ra.scale = 'completion' AND ra.level = m.from_level
    LEFT JOIN scales AS rb ON rb.scale = 'completion' AND rb.level = m.to_level
), top AS (
    SELECT * FROM ranked
    WHERE $direction IS NULL OR direction = $direction
    ORDER BY abs(change) DESC, change DESC, member_name, key
    LIMIT $limit
)
SELECT c.key, c.ogp_id, c.member_name, c.action_plan, c.title, top.from_level, top.to_level, top.change,
       top.direction, c.url
FROM top JOIN commitments_core AS c USING (rid)
ORDER BY abs(top.change) DESC, top.change DESC, top.member_name, top.key
