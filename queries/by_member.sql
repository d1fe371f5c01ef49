-- One row per member among the filtered commitments, with the facts maps and lists need.
SELECT
    c.member_code,
    any_value(m.member_name) AS member_name,
    any_value(m.kind) AS kind,
    any_value(m.iso3) AS iso3,
    any_value(m.region) AS region,
    any_value(m.status) AS status,
    any_value(m.lat) AS lat,
    any_value(m.lon) AS lon,
    count(*) AS commitments,
    count(DISTINCT c.action_plan) AS action_plans,
    count(*) FILTER (WHERE c.completion IN ('Not Started', 'Limited', 'Substantial', 'Complete')) AS completion_assessed,
    count(*) FILTER (WHERE c.completion IN ('Substantial', 'Complete')) AS high_completion,
    round(100.0 * count(*) FILTER (WHERE c.completion IN ('Substantial', 'Complete'))
          / nullif(count(*) FILTER (WHERE c.completion IN ('Not Started', 'Limited', 'Substantial', 'Complete')), 0), 1)
        AS high_completion_pct,
    count(*) FILTER (WHERE c.potential_impact = 'Transformative' OR c.potential_for_results = 'Substantial') AS ambitious,
    round(100.0 * count(*) FILTER (WHERE c.potential_impact = 'Transformative' OR c.potential_for_results = 'Substantial')
          / nullif(count(*) FILTER (WHERE c.potential_impact IS NOT NULL OR c.potential_for_results IS NOT NULL), 0), 1)
        AS ambitious_pct,
    count(*) FILTER (WHERE c.starred) AS starred,
    count(*) FILTER (WHERE c.diog IN ('Major', 'Outstanding')) AS strong_results,
    min(c.year_submitted) AS first_year,
    max(c.year_submitted) AS last_year
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q) AS c
JOIN members AS m USING (member_code)
GROUP BY c.member_code
ORDER BY member_name
