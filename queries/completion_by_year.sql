-- Commitments per submission year and best known completion level.
SELECT year_submitted, completion, count(*) AS commitments
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
WHERE year_submitted IS NOT NULL
GROUP BY ALL
ORDER BY year_submitted, completion
