// Upsert an ingest checkpoint (how far the load of one file got); written after the batch it covers
// (create if missing, else update, rather than MERGE then SET: on FalkorDB the SET after a MERGE is
// the dear part of an upsert, properties set in the CREATE are cheap; row.props always holds the id)
:param rows => [{id: "events:3f2a", props: {id: "events:3f2a", path: "demo.jsonl", last_line: 5000, completed: false}}]
UNWIND $rows AS row
OPTIONAL MATCH (found:IngestCheckpoint {id: row.id})
FOREACH (_ IN CASE WHEN found IS NULL THEN [1] ELSE [] END | CREATE (n:IngestCheckpoint) SET n = row.props)
FOREACH (_ IN CASE WHEN found IS NULL THEN [] ELSE [1] END | SET found += row.props)
