-- Coverage of each IRM rating in each snapshot (the Data page): of a snapshot's commitment rows,
-- how many carry a level (not null) per rating column. One row per snapshot x rating, in the
-- order of the columns below; `rated` / `commitments` is the coverage.
WITH per_snapshot AS (
    SELECT snapshot, count(*) AS commitments,
           count(completion_midterm) AS completion_midterm,
           count(completion_end) AS completion_end,
           count(potential_impact) AS potential_impact,
           count(potential_for_results) AS potential_for_results,
           count(specificity) AS specificity,
           count(diog) AS diog,
           count(early_results) AS early_results
    FROM commitments_core
    GROUP BY snapshot
)
SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot, commitments, rating, rated
FROM (
    UNPIVOT per_snapshot
    ON completion_midterm, completion_end, potential_impact, potential_for_results, specificity, diog, early_results
    INTO NAME rating VALUE rated
)
ORDER BY snapshot DESC;
