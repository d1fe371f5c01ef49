-- Run in the background once the store is open (ogp/store.py), in one transaction: fill the
-- search text of the latest rows, then switch search_hits to it.
INSERT INTO commitment_search
SELECT c.rid,
       concat_ws(chr(10), lower(coalesce(r.title, '')), lower(coalesce(r.description, '')),
                 lower(coalesce(r.lead_institution, '')), lower(coalesce(r.supporting_institutions, '')))
FROM commitments_core c JOIN commitments_raw r ON r.snapshot = c.snapshot AND r.row_no = c.row_no
WHERE c.is_latest;

-- Latest state (p_snap NULL): the in-memory text. A term holding a line break (never one from
-- ogp.filters, which strips control characters) or one snapshot: the parquet files.
CREATE OR REPLACE MACRO search_hits(p_snap, p_q) AS TABLE
SELECT rid FROM commitment_search
WHERE p_snap IS NULL AND NOT contains(p_q, chr(10)) AND contains(txt, lower(p_q))
UNION ALL
SELECT rid FROM commitments_raw
WHERE (p_snap IS NOT NULL OR contains(p_q, chr(10)))
  AND (p_snap IS NULL OR snapshot = TRY_CAST(p_snap AS DATE))
  AND (contains(lower(title), lower(p_q)) OR contains(lower(coalesce(description, '')), lower(p_q))
       OR contains(lower(coalesce(lead_institution, '')), lower(p_q))
       OR contains(lower(coalesce(supporting_institutions, '')), lower(p_q)));
