-- How each snapshot's commitments got their keys (ogp/matching.py, column `match`): rows per
-- snapshot and kind, for the Methodology. Snapshots written before matching say 'not recorded'.
SELECT snapshot, match, commitments FROM (
    SELECT snapshot::VARCHAR AS snapshot, coalesce(match, 'not recorded') AS match, count(*) AS commitments,
           coalesce(list_position(['id', 'number', 'title', 'group', 'none'], any_value(match)), 6) AS rank
    FROM commitments_raw
    GROUP BY ALL
)
ORDER BY snapshot, rank
