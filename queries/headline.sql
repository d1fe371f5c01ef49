-- Headline figures for the filtered commitments. "High completion" = Substantial or Complete
-- (best known: end of term, else mid-term); "ambitious" = potential impact Transformative or
-- potential for results Substantial; "strong results" = did it open government Major/Outstanding.
SELECT
    count(DISTINCT member_code) FILTER (WHERE kind = 'national') AS members_national,
    count(DISTINCT member_code) FILTER (WHERE kind = 'local') AS members_local,
    count(DISTINCT member_code) AS members,
    count(DISTINCT (member_code, action_plan)) AS action_plans,
    count(*) AS commitments,
    count(*) FILTER (WHERE completion IN ('Not Started', 'Limited', 'Substantial', 'Complete')) AS completion_assessed,
    count(*) FILTER (WHERE completion IN ('Substantial', 'Complete')) AS high_completion,
    count(*) FILTER (WHERE potential_impact IS NOT NULL OR potential_for_results IS NOT NULL) AS ambition_assessed,
    count(*) FILTER (WHERE potential_impact = 'Transformative' OR potential_for_results = 'Substantial') AS ambitious,
    count(*) FILTER (WHERE starred) AS starred,
    count(*) FILTER (WHERE diog IS NOT NULL) AS diog_assessed,
    count(*) FILTER (WHERE diog IN ('Major', 'Outstanding')) AS strong_results,
    count(*) FILTER (WHERE early_results IS NOT NULL) AS early_results_assessed,
    count(*) FILTER (WHERE early_results IN ('Moderate', 'Significant')) AS notable_early_results,
    min(year_submitted) AS first_year,
    max(year_submitted) AS last_year,
    min(snapshot) AS oldest_snapshot,
    max(snapshot) AS newest_snapshot
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
