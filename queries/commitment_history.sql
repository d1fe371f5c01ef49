-- Every snapshot's record of one commitment (its key: queries/commitment_key.sql), oldest first.
-- The equality on key reaches each snapshot's in-memory rows, so each file reads one row.
SELECT *
FROM commitments_all
WHERE key = $key
ORDER BY snapshot
