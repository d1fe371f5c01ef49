-- Per snapshot: action plans with commitments (what the "Action plans" figure counts,
-- ogp/measures.py) and plans known only from the process database (no commitment).
SELECT snapshot::VARCHAR AS snapshot,
       count(*) FILTER (WHERE n_commitments > 0) AS with_commitments,
       count(*) FILTER (WHERE coalesce(n_commitments, 0) = 0) AS process_only
FROM action_plans_all
GROUP BY snapshot
ORDER BY snapshot
