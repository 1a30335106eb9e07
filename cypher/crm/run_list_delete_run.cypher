// Delete up to $limit list records of one run (retention; call until it returns 0)
:param run_id => "run-1"
:param limit => 10000
MATCH (s:RunList)
WHERE s.run_id = $run_id
WITH s LIMIT $limit
DETACH DELETE s
RETURN count(*) AS deleted
