-- Every filtered commitment with the columns people download (the long text is read from the
-- parquet files of the filtered rows only).
SELECT f.key, f.ogp_id, f.member_code, f.member_name, f.kind, f.region, f.action_plan, f.commitment_no, f.title,
       r.description, f.lead_institution, r.supporting_institutions, f.year_submitted, f.ap_end_year,
       array_to_string(f.themes, '; ') AS themes, array_to_string(r.policy_areas, '; ') AS policy_areas,
       f.specificity, f.potential_impact, f.potential_for_results, f.completion_midterm, f.completion_end,
       f.diog, f.early_results, f.starred, f.url, f.snapshot
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q) AS f
JOIN commitments_raw AS r ON r.snapshot = f.snapshot AND r.row_no = f.row_no
ORDER BY f.member_name, f.action_plan, f.commitment_num, f.commitment_no, f.key
