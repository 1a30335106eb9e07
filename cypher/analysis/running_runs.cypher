// AnalysisRuns still in state "running" (another analysis in progress, or one that died), with their owner process
MATCH (r:AnalysisRun)
WHERE r.state = 'running'
RETURN r.id AS id, r.started_at AS started_at, r.owner_host AS owner_host, r.owner_boot AS owner_boot,
       r.owner_pid AS owner_pid, r.owner_started AS owner_started
ORDER BY id
