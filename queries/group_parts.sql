-- The groups of the latest state (ogp/matching.py `group`): a latest commitment that an older
-- snapshot holds as several rows (its parts, superseded), with the parts' numbers as that
-- snapshot stores them. The Methodology lists them (ogp/method.py).
WITH parts AS (
    SELECT r.key AS part, r.snapshot, r.commitment_no, unnest(r.links) AS whole
    FROM commitments_raw r WHERE len(r.links) > 0
)
SELECT g.member_name, g.member_code, g.commitment_no, year(g.snapshot) AS year,
       year(p.snapshot) AS parts_year, count(*) AS parts,
       list(p.commitment_no ORDER BY try_cast(split_part(p.commitment_no, '.', 2) AS INTEGER), p.part) AS numbers
FROM parts p
JOIN commitments_core g ON g.key = p.whole AND g.is_latest AND g.snapshot > p.snapshot
GROUP BY g.member_name, g.member_code, g.commitment_no, g.snapshot, p.snapshot
ORDER BY g.member_name, try_cast(g.commitment_no AS DOUBLE), g.commitment_no
