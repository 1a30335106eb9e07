// Delete one list's record in one run (before it is recorded again)
:param run_id => "run-1"
:param list => "segment:vip"
MATCH (s:RunList)
WHERE s.run_id = $run_id AND s.list = $list
DETACH DELETE s
RETURN count(*) AS deleted
