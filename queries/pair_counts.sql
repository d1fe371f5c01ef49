-- Across snapshots (ogp/matching.py): commitment rows; keys held by two or more snapshots (one
-- commitment followed across exports); groups (latest commitments linked to parts in another
-- snapshot); rows the latest state leaves out as superseded by a newer form (a group).
WITH linked AS (
    SELECT unnest(links) AS key FROM commitments_raw WHERE len(links) > 0
    UNION
    SELECT key FROM commitments_raw WHERE len(links) > 0
)
SELECT (SELECT count(*) FROM commitments_core) AS rows,
       (SELECT count(*) FROM (SELECT key FROM commitments_core GROUP BY key HAVING count(DISTINCT snapshot) > 1)) AS paired_keys,
       (SELECT count(DISTINCT key) FROM commitments_core WHERE is_latest AND key IN (SELECT key FROM linked)) AS groups,
       (SELECT count(*) FROM commitments_core c
        WHERE NOT c.is_latest AND c.snapshot = (SELECT max(snapshot) FROM commitments_core x WHERE x.key = c.key)) AS superseded
