-- Members that have commitments in any snapshot, for pickers.
SELECT member_code, member_name, kind, region
FROM members
WHERE member_code IN (SELECT member_code FROM member_codes)
ORDER BY member_name
