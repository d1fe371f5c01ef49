-- Filtered commitments per theme (a commitment counts in each of its themes).
SELECT theme, count(*) AS commitments,
       count(*) FILTER (WHERE is_high_completion(completion)) AS high_completion,
       count(*) FILTER (WHERE is_completion_rated(completion)) AS completion_assessed
FROM (SELECT unnest(themes) AS theme, completion FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q))
GROUP BY theme
ORDER BY commitments DESC, theme
