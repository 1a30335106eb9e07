// Analysis runs, newest first, one page
:param skip => 0
:param limit => 51
MATCH (r:AnalysisRun)
RETURN properties(r) AS run
ORDER BY r.started_at DESC, r.id DESC
SKIP $skip
LIMIT $limit
