-- Members that have commitments in any snapshot, for pickers.
SELECT member_code, member_name, kind, region
FROM members
WHERE member_code IN (SELECT DISTINCT member_code FROM commitments_core)
ORDER BY member_name
