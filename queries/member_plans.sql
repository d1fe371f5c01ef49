-- One member's action plans in the chosen snapshot (the latest state when $snapshot is NULL)
-- that hold at least one of its commitments there: the plans the "Action plans" figure counts
-- (ogp/measures.py). Commitments in scope and the co-creation process where known. Completion
-- is the rating $rating chooses (queries/_setup.sql completion_rating).
WITH c AS (
    SELECT action_plan, count(*) AS commitments,
           count(*) FILTER (WHERE completion_rated) AS completion_assessed,
           count(*) FILTER (WHERE completion_high) AS high_completion
    FROM (SELECT action_plan, completion_rating($rating, midterm_rated, end_rated) AS completion_rated,
                 completion_rating($rating, midterm_high, end_high) AS completion_high
          FROM scoped($snapshot) WHERE member_code = $member)
    GROUP BY action_plan
), p AS (
    SELECT * FROM action_plans WHERE $snapshot IS NULL AND member_code = $member
    UNION ALL BY NAME
    SELECT * FROM action_plans_all WHERE snapshot = TRY_CAST($snapshot AS DATE) AND member_code = $member
)
SELECT p.action_plan, p.ap_id, p.year_submitted, p.end_year,
       c.commitments AS n_commitments,
       c.completion_assessed, c.high_completion,
       p.steps_followed, p.iap2_development, p.iap2_implementation,
       p.participation_development, p.regular_forum, p.self_assessment_published, p.snapshot
FROM p JOIN c USING (action_plan)
ORDER BY p.action_plan
