-- Commitments whose completion level changed between two snapshots, biggest moves first. The
-- earlier level comes from the row's `levels` (queries/_setup.sql); the moves are ranked on row
-- ids, then the shown rows' columns are read.
WITH m AS (
    SELECT rid, member_name, key, completion_of_code(from_code) AS from_level, completion AS to_level
    FROM (SELECT *, level_in(levels, $from_snapshot) AS from_code, level_in(levels, $to_snapshot) AS to_code
          FROM filtered($to_snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q))
    WHERE from_code > 0 AND from_code <> to_code
), top AS (
    SELECT m.*, coalesce(rb.rank, -1) - coalesce(ra.rank, -1) AS change
    FROM m
    LEFT JOIN scales AS ra ON ra.scale = 'completion' AND ra.level = m.from_level
    LEFT JOIN scales AS rb ON rb.scale = 'completion' AND rb.level = m.to_level
    ORDER BY change DESC, m.member_name, m.key
    LIMIT $limit
)
SELECT c.key, c.ogp_id, c.member_name, c.action_plan, c.title, top.from_level, top.to_level, top.change, c.url
FROM top JOIN commitments_core AS c USING (rid)
ORDER BY top.change DESC, top.member_name, top.key
