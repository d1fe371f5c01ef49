-- Built once when the store opens, over the views commitments_raw, members_raw and
-- action_plans_raw (every snapshot's parquet, with its `snapshot` date).

-- Members: the newest snapshot's facts about each member win.
CREATE TABLE members_all AS SELECT * FROM members_raw;
CREATE VIEW members AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY member_code ORDER BY snapshot DESC) AS rn FROM members_all
) WHERE rn = 1;

CREATE TABLE action_plans_all AS SELECT * FROM action_plans_raw;

-- Themes of each commitment row, from data/themes.toml (theme_areas).
CREATE TEMP TABLE row_themes AS
SELECT snapshot, key, list(DISTINCT ta.theme ORDER BY ta.theme) AS themes
FROM (SELECT snapshot, key, source_schema, unnest(policy_areas) AS area FROM commitments_raw) c
JOIN theme_areas ta ON ta.area = c.area AND ta.schema = c.source_schema
GROUP BY ALL;

CREATE TABLE commitments_all AS
SELECT c.*,
       m.region, m.kind, m.iso3,
       coalesce(t.themes, []::VARCHAR[]) AS themes,
       coalesce(c.completion_end, c.completion_midterm) AS completion,
       c.snapshot = max(c.snapshot) OVER (PARTITION BY c.key) AS is_latest
FROM commitments_raw c
LEFT JOIN members_all m ON m.member_code = c.member_code AND m.snapshot = c.snapshot
LEFT JOIN row_themes t ON t.key = c.key AND t.snapshot = c.snapshot
ORDER BY c.snapshot, c.member_code, c.action_plan, c.key;

DROP TABLE row_themes;

CREATE VIEW commitments AS SELECT * FROM commitments_all WHERE is_latest;

-- Action plans: latest state per member x plan.
CREATE VIEW action_plans AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY member_code, action_plan ORDER BY snapshot DESC) AS rn
    FROM action_plans_all
) WHERE rn = 1;

-- The rows a page looks at: the latest state of every commitment (snap NULL) or one snapshot.
CREATE MACRO scoped(p_snap) AS TABLE
SELECT * FROM commitments_all
WHERE (p_snap IS NULL AND is_latest) OR snapshot = TRY_CAST(p_snap AS DATE);

-- The dashboard's filters. A NULL argument means "no filter".
CREATE MACRO filtered(p_snap, p_members, p_regions, p_kinds, p_theme, p_year_from, p_year_to, p_completion, p_ambition, p_q) AS TABLE
SELECT * FROM scoped(p_snap)
WHERE (p_members IS NULL OR list_contains(p_members, member_code))
  AND (p_regions IS NULL OR list_contains(p_regions, region))
  AND (p_kinds IS NULL OR list_contains(p_kinds, kind))
  AND (p_theme IS NULL OR list_contains(themes, p_theme))
  AND (p_year_from IS NULL OR year_submitted >= p_year_from)
  AND (p_year_to IS NULL OR year_submitted <= p_year_to)
  AND (p_completion IS NULL OR list_contains(p_completion, completion))
  AND (p_ambition IS NULL OR list_contains(p_ambition, potential_impact))
  AND (p_q IS NULL OR contains(lower(title), lower(p_q)) OR contains(lower(coalesce(description, '')), lower(p_q))
       OR contains(lower(coalesce(lead_institution, '')), lower(p_q))
       OR contains(lower(coalesce(supporting_institutions, '')), lower(p_q))
       OR lower(key) = lower(p_q) OR lower(coalesce(ogp_id, '')) = lower(p_q));
