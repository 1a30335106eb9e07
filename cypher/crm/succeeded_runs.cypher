// Succeeded analysis runs, newest first (retention keeps the records of the first ones)
MATCH (r:AnalysisRun)
WHERE r.state = 'succeeded'
RETURN r.id AS id, r.finished_at AS finished_at
ORDER BY finished_at DESC, id DESC
