-- Row-level variant of completion_by_year.sql, run by ogp/store.py when a theme or search term is set
-- (commitment_counts has no theme mask and no text); results identical.
-- Commitments per submission year and best known completion level.
SELECT year_submitted, completion, count(*) AS commitments
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
WHERE year_submitted IS NOT NULL
GROUP BY ALL
ORDER BY year_submitted, completion
