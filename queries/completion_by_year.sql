-- Commitments per submission year and best known completion level.
-- Over filtered_counts (queries/_setup.sql: pre-aggregated counts; rows for a search term).
SELECT year_submitted, completion, sum(n)::BIGINT AS commitments
FROM filtered_counts($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q)
WHERE year_submitted IS NOT NULL
GROUP BY ALL
ORDER BY year_submitted, completion
