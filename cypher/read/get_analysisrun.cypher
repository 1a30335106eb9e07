// One AnalysisRun node's properties by id (no row when it does not exist)
:param id => "run-1"
MATCH (n:AnalysisRun {id: $id})
RETURN properties(n) AS node
