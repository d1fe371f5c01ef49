-- Filtered commitments per theme (a commitment counts in each of its themes).
SELECT theme, count(*) AS commitments,
       count(*) FILTER (WHERE completion_high) AS high_completion,
       count(*) FILTER (WHERE completion_rated) AS completion_assessed
FROM (SELECT unnest(themes) AS theme, completion_rated, completion_high FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q))
GROUP BY theme
ORDER BY commitments DESC, theme
