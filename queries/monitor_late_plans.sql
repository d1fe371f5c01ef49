-- Late action plans (ogp/monitor.py): each member's latest action plan in the data (highest
-- number) that ended before the as-of date, i.e. the member has no newer plan. The as-of date
-- is the date of the snapshot the plan's record comes from ($snapshot, or for the latest state
-- the newest complete snapshot holding the plan). Members, region and member type filter the members;
-- the other filters keep a plan only if some of its commitments pass them.
-- Only a complete export can show that a member has no newer plan: a plan is judged only in a
-- snapshot of $complete (the complete snapshots' dates, ogp/monitor.py), and not when any
-- snapshot lists a newer plan of the member submitted by then (a plan an extract lists exists).
WITH plans AS (  -- the chosen snapshot's plans, or each plan's record in its newest complete snapshot
    SELECT * FROM action_plans_all WHERE snapshot = TRY_CAST($snapshot AS DATE)
    UNION ALL BY NAME
    SELECT * FROM action_plans_all
    WHERE $snapshot IS NULL AND list_contains($complete, strftime(snapshot, '%Y-%m-%d'))
    QUALIFY row_number() OVER (PARTITION BY member_code, action_plan ORDER BY snapshot DESC) = 1
), latest AS (
    SELECT *, plan_end_year(end_year, year_submitted, $plan_years) AS ends
    FROM plans
    QUALIFY row_number() OVER (PARTITION BY member_code ORDER BY action_plan DESC) = 1
), narrowed AS (
    SELECT DISTINCT member_code, action_plan
    FROM filtered($snapshot, $members, $regions, $kinds, $theme, $year_from, $year_to, $completion, $rating, $ambition, NULL)
)
SELECT p.member_code, m.member_name, m.kind, m.region, p.action_plan, p.year_submitted,
       p.ends AS end_year, p.end_year IS NULL AS end_year_estimated,
       plan_end_date(p.ends) AS ended, p.snapshot AS as_of,
       date_sub('month', plan_end_date(p.ends), p.snapshot) AS months_since_end,
       p.n_commitments
FROM latest AS p
JOIN members_all AS m ON m.member_code = p.member_code AND m.snapshot = p.snapshot
WHERE p.ends IS NOT NULL AND plan_end_date(p.ends) < p.snapshot
  AND list_contains($complete, strftime(p.snapshot, '%Y-%m-%d'))
  AND NOT EXISTS (SELECT 1 FROM action_plans_all AS n
                  WHERE n.member_code = p.member_code AND n.action_plan > p.action_plan
                    AND (n.year_submitted IS NULL OR n.year_submitted <= year(p.snapshot)))
  AND ($members IS NULL OR list_contains($members, p.member_code))
  AND ($regions IS NULL OR list_contains($regions, m.region))
  AND ($kinds IS NULL OR list_contains($kinds, m.kind))
  AND (($theme IS NULL AND $year_from IS NULL AND $year_to IS NULL AND $completion IS NULL AND $ambition IS NULL)
       OR EXISTS (SELECT 1 FROM narrowed AS n WHERE n.member_code = p.member_code AND n.action_plan = p.action_plan))
ORDER BY months_since_end DESC, m.member_name
