-- One member's facts (latest known).
SELECT * FROM members WHERE member_code = $member
