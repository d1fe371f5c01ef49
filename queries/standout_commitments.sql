-- The filtered commitments with the strongest results: starred, or did it open government
-- Major/Outstanding, or notable early results; strongest first.
SELECT key, ogp_id, member_name, action_plan, title, completion, potential_impact, diog,
       early_results, starred, url, snapshot
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
WHERE starred OR diog IN ('Major', 'Outstanding') OR early_results IN ('Moderate', 'Significant')
ORDER BY CASE diog WHEN 'Outstanding' THEN 0 WHEN 'Major' THEN 1 ELSE 2 END,
         starred DESC, CASE early_results WHEN 'Significant' THEN 0 WHEN 'Moderate' THEN 1 ELSE 2 END,
         year_submitted DESC, key
LIMIT $limit
