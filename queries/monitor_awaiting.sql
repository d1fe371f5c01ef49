-- Awaiting assessment (ogp/monitor.py): action plans that ended $wait_years or more before the
-- as-of date and have commitments without a completion assessment (neither mid-term nor end of
-- term). The commitments are the filtered ones; the as-of date is the date of the snapshot
-- ($snapshot, or for the latest state the newest snapshot holding any of the plan's
-- commitments); the end year is the plan record's in that snapshot, else its commitments'.
WITH c AS (
    SELECT member_code, action_plan, max(snapshot) AS as_of,
           max(ap_end_year) AS ap_end_year, min(year_submitted) AS year_submitted,
           count(*) AS commitments, count(*) FILTER (WHERE completion IS NULL) AS not_assessed
    FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, NULL)
    GROUP BY member_code, action_plan
), judged AS (
    SELECT c.*, coalesce(plan_end_year(p.end_year, p.year_submitted, $plan_years),
                         plan_end_year(c.ap_end_year, c.year_submitted, $plan_years)) AS end_year,
           p.end_year IS NULL AND c.ap_end_year IS NULL AS end_year_estimated
    FROM c LEFT JOIN action_plans_all AS p
      ON p.member_code = c.member_code AND p.action_plan = c.action_plan AND p.snapshot = c.as_of
)
SELECT j.member_code, m.member_name, m.kind, m.region, j.action_plan, j.year_submitted, j.end_year,
       j.end_year_estimated, plan_end_date(j.end_year) AS ended, j.as_of,
       date_sub('month', plan_end_date(j.end_year), j.as_of) AS months_since_end,
       j.commitments, j.not_assessed, j.not_assessed = j.commitments AS none_assessed
FROM judged AS j
JOIN members_all AS m ON m.member_code = j.member_code AND m.snapshot = j.as_of
WHERE j.not_assessed > 0
  AND plan_end_date(j.end_year) + to_years($wait_years::INTEGER) <= j.as_of
ORDER BY j.not_assessed DESC, m.member_name, j.action_plan
