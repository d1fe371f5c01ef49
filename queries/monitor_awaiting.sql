-- Awaiting assessment (ogp/monitor.py): action plans with commitments that have no completion
-- assessment (neither mid-term nor end of term) although the plan ended $wait_years or more
-- before the date of the snapshot holding the commitment's row. Each row is judged as of its own
-- snapshot ($snapshot's rows, or for the latest state each commitment's newest row): an older
-- export says nothing about later dates. The plan's end year is the plan record's in the row's
-- snapshot, else the row's, else its submission year + $plan_years. One line per plan and
-- snapshot judged against (`as_of`): in the latest state a plan can hold rows of two snapshots;
-- `commitments` counts the plan's filtered rows of that snapshot.
WITH r AS (
    SELECT f.member_code, f.action_plan, f.snapshot,
           -- no assessment at all, whichever rating the filters chose
           coalesce(f.completion_end, f.completion_midterm) AS completion,
           coalesce(plan_end_year(p.end_year, p.year_submitted, $plan_years),
                    plan_end_year(f.ap_end_year, f.year_submitted, $plan_years)) AS end_year,
           p.end_year IS NULL AND f.ap_end_year IS NULL AS end_year_estimated,
           f.year_submitted
    FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, NULL) AS f
    LEFT JOIN action_plans_all AS p
      ON p.member_code = f.member_code AND p.action_plan = f.action_plan AND p.snapshot = f.snapshot
), judged AS (
    SELECT *, completion IS NULL AND end_year IS NOT NULL
              AND plan_end_date(end_year) + to_years($wait_years::INTEGER) <= snapshot AS awaited
    FROM r
), plans AS (
    SELECT member_code, action_plan, snapshot AS as_of, count(*) AS commitments,
           count(*) FILTER (WHERE awaited) AS not_assessed,
           max(end_year) AS end_year, bool_or(end_year_estimated) AS end_year_estimated,
           min(year_submitted) AS year_submitted
    FROM judged GROUP BY member_code, action_plan, snapshot
)
SELECT j.member_code, m.member_name, m.kind, m.region, j.action_plan, j.year_submitted, j.end_year,
       j.end_year_estimated, plan_end_date(j.end_year) AS ended, j.as_of,
       date_sub('month', plan_end_date(j.end_year), j.as_of) AS months_since_end,
       j.commitments, j.not_assessed, j.not_assessed = j.commitments AS none_assessed
FROM plans AS j
JOIN members_all AS m ON m.member_code = j.member_code AND m.snapshot = j.as_of
WHERE j.not_assessed > 0
ORDER BY j.not_assessed DESC, m.member_name, j.action_plan, j.as_of
