// The current analysis run's properties (no row before the first successful `rapport analyze`)
MATCH (run:AnalysisRun {current: true})
RETURN properties(run) AS run
LIMIT 1
