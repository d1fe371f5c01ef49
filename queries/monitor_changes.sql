-- Changed since the previous snapshot (ogp/monitor.py): commitments of $to_snapshot whose key is
-- not in $from_snapshot (added), of $from_snapshot whose key is not in $to_snapshot (dropped),
-- and, for keys in both, each rating that differs (one row per rating; a rating appearing or
-- disappearing counts). A change passes the filters when its row in $to_snapshot does (in
-- $from_snapshot for a dropped commitment). `rating` is the compared column: completion (best
-- known: end of term, else mid-term), potential_impact, diog, starred, early_results.
WITH later AS (
    SELECT * FROM scoped($to_snapshot)
), earlier AS (
    SELECT * FROM scoped($from_snapshot)
), later_kept AS (
    SELECT rid FROM filtered($to_snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, NULL)
), earlier_kept AS (
    SELECT rid FROM filtered($from_snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, NULL)
), pairs AS (
    SELECT l.*, e.completion AS was_completion, e.potential_impact AS was_potential_impact, e.diog AS was_diog,
           e.starred AS was_starred, e.early_results AS was_early_results
    FROM later AS l JOIN earlier AS e ON e.key = l.key
    WHERE l.rid IN (SELECT rid FROM later_kept)
), rated AS (
    SELECT *, 'completion' AS rating, was_completion AS from_value, completion AS to_value, 1 AS rating_no FROM pairs
    UNION ALL
    SELECT *, 'potential_impact', was_potential_impact, potential_impact, 2 FROM pairs
    UNION ALL
    SELECT *, 'diog', was_diog, diog, 3 FROM pairs
    UNION ALL
    SELECT *, 'starred', CASE WHEN was_starred THEN 'Starred' WHEN NOT was_starred THEN 'Not starred' END,
           CASE WHEN starred THEN 'Starred' WHEN NOT starred THEN 'Not starred' END, 4 FROM pairs
    UNION ALL
    SELECT *, 'early_results', was_early_results, early_results, 5 FROM pairs
), changes AS (
    SELECT 'added' AS change, 1 AS change_no, member_code, member_name, key, ogp_id, action_plan, title, url,
           NULL::VARCHAR AS rating, NULL::VARCHAR AS from_value, NULL::VARCHAR AS to_value, 0 AS rating_no
    FROM later AS l
    WHERE l.rid IN (SELECT rid FROM later_kept) AND NOT EXISTS (SELECT 1 FROM earlier AS e WHERE e.key = l.key)
    UNION ALL
    SELECT 'dropped', 2, member_code, member_name, key, ogp_id, action_plan, title, url, NULL, NULL, NULL, 0
    FROM earlier AS e
    WHERE e.rid IN (SELECT rid FROM earlier_kept) AND NOT EXISTS (SELECT 1 FROM later AS l WHERE l.key = e.key)
    UNION ALL
    SELECT 'rating changed', 3, member_code, member_name, key, ogp_id, action_plan, title, url,
           rating, from_value, to_value, rating_no
    FROM rated WHERE from_value IS DISTINCT FROM to_value
)
SELECT change, member_code, member_name, key, ogp_id, action_plan, title, rating, from_value, to_value, url
FROM changes
ORDER BY member_name, member_code, change_no, action_plan, key, rating_no
