-- The key of a commitment identifier: its key, or its OGP id in any case (no row: unknown).
-- Two lookups, not one OR: an equality on key is checked inside the in-memory scan.
SELECT key FROM commitments_core WHERE key = $id
UNION
SELECT key FROM commitments_core WHERE ogp_id IS NOT NULL AND upper(ogp_id) = upper($id)
ORDER BY key
LIMIT 1
