// The current AnalysisRun (the latest succeeded one), if any
MATCH (r:AnalysisRun)
WHERE r.current = true
RETURN r.id AS id, properties(r) AS run
ORDER BY r.finished_at DESC
LIMIT 1
