// One IngestCheckpoint node's properties by id (no row when it does not exist)
:param id => "events:3f2a"
MATCH (n:IngestCheckpoint {id: $id})
RETURN properties(n) AS node
