-- The filtered commitments with the strongest results: starred, or did it open government
-- Major/Outstanding, or notable early results; strongest first. Ranked on row ids and the
-- order columns, then the shown rows' columns are read.
WITH top AS (
    SELECT rid, CASE diog WHEN 'Outstanding' THEN 0 WHEN 'Major' THEN 1 ELSE 2 END AS diog_order,
           starred, CASE early_results WHEN 'Significant' THEN 0 WHEN 'Moderate' THEN 1 ELSE 2 END AS early_order,
           year_submitted, key
    FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
    WHERE starred OR diog_strong OR early_notable
    ORDER BY diog_order, starred DESC, early_order, year_submitted DESC, key
    LIMIT $limit
)
SELECT c.key, c.ogp_id, c.member_name, c.action_plan, c.title, c.completion, c.potential_impact, c.diog,
       c.early_results, c.starred, c.url, c.snapshot
FROM top JOIN commitments_core AS c USING (rid)
ORDER BY top.diog_order, top.starred DESC, top.early_order, top.year_submitted DESC, top.key
