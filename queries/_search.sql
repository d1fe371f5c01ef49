-- Run in the background once the store is open (ogp/store.py), in one transaction: fill the
-- search text of the latest rows (search_text in queries/_setup.sql), then switch search_hits
-- (the latest state's hits) to it.
INSERT INTO commitment_search
SELECT c.rid, search_text(r.title, r.description, r.lead_institution, r.supporting_institutions)
FROM commitments_core c JOIN commitments_raw r ON r.snapshot = c.snapshot AND r.row_no = c.row_no
WHERE c.is_latest;

CREATE OR REPLACE MACRO search_hits(p_pattern, p_probe) AS TABLE
SELECT rid FROM commitment_search
WHERE CASE WHEN contains(txt, p_probe) THEN regexp_matches(txt, p_pattern) ELSE false END;
