-- One page of the filtered commitments, in a stable order. The page's row ids are picked first
-- (sorting the order columns only), then their columns are read: at a million rows this reads
-- a small fraction of the text a full sort would carry.
WITH page AS (
    SELECT rid, member_name, action_plan, commitment_num, commitment_no, key
    FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, $q)
    ORDER BY member_name, action_plan, commitment_num, commitment_no, key
    LIMIT $limit OFFSET $offset
)
SELECT c.key, c.ogp_id, c.member_name, c.member_code, c.action_plan, c.commitment_no, c.title, c.year_submitted,
       completion_rating($rating, c.completion_midterm, c.completion_end) AS completion, c.potential_impact, c.starred, c.lead_institution, c.url, c.snapshot
FROM page JOIN commitments_core AS c USING (rid)
ORDER BY page.member_name, page.action_plan, page.commitment_num, page.commitment_no, page.key
