-- Data gaps (ogp/monitor.py), one row each: members without a region or an ISO code (member
-- facts of $snapshot, or the latest facts), commitments without a theme (none of their policy
-- areas or tags is in data/themes.toml), and ratings outside their scale (a value that is not a
-- level of the column's scale in ogp/scales.py). Members, region and member type filter
-- members; every filter applies to commitments.
WITH mem AS (
    SELECT * FROM members_all WHERE snapshot = TRY_CAST($snapshot AS DATE)
    UNION ALL BY NAME
    SELECT * FROM members WHERE $snapshot IS NULL
), mem_kept AS (
    SELECT * FROM mem
    WHERE ($members IS NULL OR list_contains($members, member_code))
      AND ($regions IS NULL OR list_contains($regions, region))
      AND ($kinds IS NULL OR list_contains($kinds, kind))
), rows AS (
    SELECT member_code, member_name, key, title, snapshot, theme_mask, completion_midterm, completion_end,
           potential_impact, potential_for_results, early_results, diog, specificity
    FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, NULL)
), lv AS (  -- each scale's levels, once
    SELECT list(level) FILTER (WHERE scale = 'completion') AS completion,
           list(level) FILTER (WHERE scale = 'potential_impact') AS potential_impact,
           list(level) FILTER (WHERE scale = 'potential_for_results') AS potential_for_results,
           list(level) FILTER (WHERE scale = 'early_results') AS early_results,
           list(level) FILTER (WHERE scale = 'diog') AS diog,
           list(level) FILTER (WHERE scale = 'specificity') AS specificity
    FROM scales
), off AS (  -- rows with a rating outside its scale: few, unpivoted below
    SELECT r.* EXCLUDE (theme_mask) FROM rows AS r, lv
    WHERE NOT list_contains(lv.completion, coalesce(r.completion_midterm, lv.completion[1]))
       OR NOT list_contains(lv.completion, coalesce(r.completion_end, lv.completion[1]))
       OR NOT list_contains(lv.potential_impact, coalesce(r.potential_impact, lv.potential_impact[1]))
       OR NOT list_contains(lv.potential_for_results, coalesce(r.potential_for_results, lv.potential_for_results[1]))
       OR NOT list_contains(lv.early_results, coalesce(r.early_results, lv.early_results[1]))
       OR NOT list_contains(lv.diog, coalesce(r.diog, lv.diog[1]))
       OR NOT list_contains(lv.specificity, coalesce(r.specificity, lv.specificity[1]))
), ratings AS (
    UNPIVOT off
    ON completion_midterm, completion_end, potential_impact, potential_for_results, early_results, diog, specificity
    INTO NAME rating_column VALUE rating_value
), gaps AS (
    SELECT 'member without region' AS gap, 1 AS gap_no, member_code, member_name, NULL::VARCHAR AS key,
           NULL::VARCHAR AS title, NULL::VARCHAR AS detail, snapshot
    FROM mem_kept WHERE region IS NULL
    UNION ALL
    SELECT 'member without ISO code', 2, member_code, member_name, NULL, NULL, NULL, snapshot
    FROM mem_kept WHERE iso3 IS NULL OR trim(iso3) = ''
    UNION ALL
    SELECT 'commitment without a theme', 3, member_code, member_name, key, title, NULL, snapshot
    FROM rows WHERE theme_mask = 0
    UNION ALL
    SELECT 'rating outside its scale', 4, member_code, member_name, key, title,
           rating_column || ' = ' || rating_value, snapshot
    FROM ratings AS r
    WHERE NOT EXISTS (
        SELECT 1 FROM scales AS s
        WHERE s.scale = CASE WHEN r.rating_column LIKE 'completion_%' THEN 'completion' ELSE r.rating_column END
          AND s.level = r.rating_value)
)
SELECT gap, member_code, member_name, key, title, detail, snapshot
FROM gaps
ORDER BY gap_no, member_name, member_code, key, detail
