// Delete up to $limit MIXED_STANCE relationships not stamped with run $keep_run_id (call until it returns 0)
:param keep_run_id => "run-20260101T000000-abcdef"
:param limit => 10000
MATCH (:Profile)-[r:MIXED_STANCE]->(:Brand)
WHERE r.run_id IS NULL OR r.run_id <> $keep_run_id
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
