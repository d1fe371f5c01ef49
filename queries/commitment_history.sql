-- Every snapshot's record of one commitment (by key or OGP id), oldest first.
SELECT *
FROM commitments_all
WHERE key = $id OR (ogp_id IS NOT NULL AND upper(ogp_id) = upper($id))
ORDER BY snapshot
