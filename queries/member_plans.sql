-- One member's action plans: commitments in scope and the co-creation process where known.
SELECT p.action_plan, p.ap_id, p.year_submitted, p.end_year,
       coalesce(c.commitments, 0) AS n_commitments,
       c.completion_assessed, c.high_completion,
       p.steps_followed, p.iap2_development, p.iap2_implementation,
       p.participation_development, p.regular_forum, p.self_assessment_published, p.snapshot
FROM action_plans AS p
LEFT JOIN (
    SELECT action_plan, count(*) AS commitments,
           count(*) FILTER (WHERE completion IN ('Not Started', 'Limited', 'Substantial', 'Complete')) AS completion_assessed,
           count(*) FILTER (WHERE completion IN ('Substantial', 'Complete')) AS high_completion
    FROM scoped($snapshot) WHERE member_code = $member GROUP BY action_plan
) AS c USING (action_plan)
WHERE p.member_code = $member
ORDER BY p.action_plan
