-- Changed since the previous snapshot (ogp/monitor.py): commitments of $to_snapshot whose key is
-- not in $from_snapshot (added), of $from_snapshot whose key is not in $to_snapshot (dropped),
-- and, for keys in both, each rating that differs (one row per rating; a rating appearing or
-- disappearing counts). A change passes the filters when its row in $to_snapshot does (in
-- $from_snapshot for a dropped commitment). `rating` is the compared column: completion (best
-- known: end of term, else mid-term), potential_impact, diog, starred, early_results.
-- A commitment one snapshot holds as several rows and the other as one (ogp/matching.py `group`,
-- linked by `links`) is 'regrouped' (each of its rows on both sides), not added and dropped.
-- An extract (the snapshot's manifest `scope`, ogp/monitor.py) says nothing about what it leaves
-- out: a row only the earlier snapshot holds is 'dropped' only when the later one is complete
-- ($to_complete), else 'outside the later extract'; a row only the later one holds is 'added'
-- only when the earlier one is complete ($from_complete), else 'outside the earlier extract'.
-- ogp/monitor.py counts those two apart from the changes.
-- One full outer join of the two snapshots' keys and ratings (row ids, no text); the shown
-- columns are read for the changed rows only, by row id.
WITH j AS (
    SELECT l.rid AS later_rid, e.rid AS earlier_rid, coalesce(l.key, e.key) AS key,
           e.completion AS c0, l.completion AS c1, e.potential_impact AS p0, l.potential_impact AS p1,
           e.diog AS d0, l.diog AS d1,
           CASE WHEN e.starred THEN 'Starred' WHEN NOT e.starred THEN 'Not starred' END AS s0,
           CASE WHEN l.starred THEN 'Starred' WHEN NOT l.starred THEN 'Not starred' END AS s1,
           e.early_results AS r0, l.early_results AS r1
    FROM (SELECT rid, key, completion, potential_impact, diog, starred, early_results
          FROM commitments_core WHERE snapshot = TRY_CAST($to_snapshot AS DATE)) AS l
    FULL OUTER JOIN (SELECT rid, key, completion, potential_impact, diog, starred, early_results
                     FROM commitments_core WHERE snapshot = TRY_CAST($from_snapshot AS DATE)) AS e
      ON e.key = l.key
), kept AS (
    SELECT * FROM j
    WHERE later_rid IN (SELECT rid FROM filtered($to_snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, NULL))
       OR (later_rid IS NULL
           AND earlier_rid IN (SELECT rid FROM filtered($from_snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, NULL)))
), linked AS (  -- group links of either snapshot's rows (queries/_setup.sql)
    SELECT key AS a, other AS b, snapshot FROM group_links
    WHERE snapshot IN (TRY_CAST($from_snapshot AS DATE), TRY_CAST($to_snapshot AS DATE))
), across AS (  -- ... to a key of the other snapshot
    SELECT l.a, l.b FROM linked AS l
    WHERE EXISTS (SELECT 1 FROM commitments_core AS c
                  WHERE c.key = l.b AND c.snapshot <> l.snapshot
                    AND c.snapshot IN (TRY_CAST($from_snapshot AS DATE), TRY_CAST($to_snapshot AS DATE)))
), regrouped AS (
    SELECT a AS key FROM across UNION SELECT b FROM across
), pairs AS (
    SELECT * FROM kept WHERE later_rid IS NOT NULL AND earlier_rid IS NOT NULL
), changes AS (
    SELECT coalesce(later_rid, earlier_rid) AS rid,
           CASE WHEN key IN (SELECT key FROM regrouped) THEN 3
                WHEN earlier_rid IS NULL THEN (CASE WHEN $from_complete THEN 1 ELSE 5 END)
                ELSE (CASE WHEN $to_complete THEN 2 ELSE 6 END) END AS change_no,
           NULL::VARCHAR AS rating, NULL::VARCHAR AS from_value, NULL::VARCHAR AS to_value, 0 AS rating_no
    FROM kept WHERE earlier_rid IS NULL OR later_rid IS NULL
    UNION ALL
    SELECT later_rid, 4, rating, from_value, to_value, rating_no
    FROM (
        SELECT later_rid, 'completion' AS rating, c0 AS from_value, c1 AS to_value, 1 AS rating_no FROM pairs
        UNION ALL SELECT later_rid, 'potential_impact', p0, p1, 2 FROM pairs
        UNION ALL SELECT later_rid, 'diog', d0, d1, 3 FROM pairs
        UNION ALL SELECT later_rid, 'starred', s0, s1, 4 FROM pairs
        UNION ALL SELECT later_rid, 'early_results', r0, r1, 5 FROM pairs
    )
    WHERE from_value IS DISTINCT FROM to_value
)
SELECT CASE ch.change_no WHEN 1 THEN 'added' WHEN 2 THEN 'dropped' WHEN 3 THEN 'regrouped'
            WHEN 4 THEN 'rating changed' WHEN 5 THEN 'outside the earlier extract'
            ELSE 'outside the later extract' END AS change,
       c.member_code, c.member_name, c.key, c.ogp_id, c.action_plan, c.title,
       ch.rating, ch.from_value, ch.to_value, c.url
FROM changes AS ch JOIN commitments_core AS c USING (rid)
ORDER BY c.member_name, c.member_code, ch.change_no, c.action_plan, c.key, ch.rating_no
