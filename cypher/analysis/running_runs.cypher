// AnalysisRuns still in state "running" (another analysis in progress, or one that died)
MATCH (r:AnalysisRun)
WHERE r.state = 'running'
RETURN r.id AS id, r.started_at AS started_at
