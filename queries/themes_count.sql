-- Filtered commitments per theme (a commitment counts in each of its themes).
SELECT theme, count(*) AS commitments,
       count(*) FILTER (WHERE completion IN ('Substantial', 'Complete')) AS high_completion,
       count(*) FILTER (WHERE completion IN ('Not Started', 'Limited', 'Substantial', 'Complete')) AS completion_assessed
FROM (SELECT unnest(themes) AS theme, completion FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q))
GROUP BY theme
ORDER BY commitments DESC, theme
