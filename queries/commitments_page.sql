-- One page of the filtered commitments, in a stable order.
SELECT key, ogp_id, member_name, member_code, action_plan, commitment_no, title, year_submitted,
       completion, potential_impact, starred, lead_institution, url, snapshot
FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $ambition, $q)
ORDER BY member_name, action_plan, try_cast(split_part(commitment_no, '.', 1) AS INTEGER), commitment_no, key
LIMIT $limit OFFSET $offset
