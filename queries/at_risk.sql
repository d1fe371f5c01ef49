-- Commitments of action plans still open at their snapshot's date (end year not passed)
-- whose latest assessment says not started or limited (`at_risk`, queries/_setup.sql). Its
-- `completion` is that latest rating whatever $rating says ($rating chooses what the filter reads).
SELECT key, ogp_id, member_code, member_name, action_plan, title, ap_end_year, completion_midterm, completion_end,
       latest_completion(completion_midterm, completion_end) AS completion, lead_institution, url, snapshot
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q)
WHERE at_risk
ORDER BY ap_end_year, member_name, key
