-- Every filtered commitment with the columns people download.
SELECT key, ogp_id, member_code, member_name, kind, region, action_plan, commitment_no, title,
       description, lead_institution, supporting_institutions, year_submitted, ap_end_year,
       array_to_string(themes, '; ') AS themes, array_to_string(policy_areas, '; ') AS policy_areas,
       specificity, potential_impact, potential_for_results, completion_midterm, completion_end,
       diog, early_results, starred, url, snapshot
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
ORDER BY member_name, action_plan, try_cast(split_part(commitment_no, '.', 1) AS INTEGER), commitment_no, key
