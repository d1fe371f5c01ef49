-- The filtered commitments with the strongest results: starred, or did it open government
-- Major/Outstanding, or notable early results; strongest first. Ranked on row ids and the
-- order columns, then the shown rows' columns are read.
WITH top AS (
    SELECT rid, high_order('diog', diog) AS diog_order,
           starred, high_order('early_results', early_results) AS early_order,
           year_submitted, key
    FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q)
    WHERE starred OR diog_strong OR early_notable
    ORDER BY diog_order, starred DESC, early_order, year_submitted DESC, key
    LIMIT $limit
)
SELECT c.key, c.ogp_id, c.member_name, c.action_plan, c.title,
       completion_rating($rating, c.completion_midterm, c.completion_end) AS completion, c.potential_impact, c.diog,
       c.early_results, c.starred, c.url, c.snapshot
FROM top JOIN commitments_core AS c USING (rid)
ORDER BY top.diog_order, top.starred DESC, top.early_order, top.year_submitted DESC, top.key
