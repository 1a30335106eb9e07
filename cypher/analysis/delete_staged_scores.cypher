// Delete up to $limit StagedScores nodes of run $run_id: after its publish, or after it failed (call until it returns 0)
:param run_id => "run-20260101T000000-abcdef"
:param limit => 50000
MATCH (s:StagedScores)
WHERE s.run_id = $run_id
WITH s LIMIT $limit
DETACH DELETE s
RETURN count(*) AS deleted
