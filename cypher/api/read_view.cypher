// The current AnalysisRun (the latest succeeded one) and the data token, in one read: what an API
// process checks before it trusts the rows it holds in memory (usecases.read_view). No row on an
// empty graph; a null token before the first write that marks a change (cypher/admin/data_changed).
OPTIONAL MATCH (r:AnalysisRun)
WHERE r.current = true
WITH r
ORDER BY r.finished_at DESC
LIMIT 1
OPTIONAL MATCH (v:DataVersion {id: 'data'})
RETURN v.token AS token, CASE WHEN r IS NULL THEN null ELSE properties(r) END AS run
