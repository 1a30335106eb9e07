// Upsert an ingest checkpoint (how far the load of one file got); written after the batch it covers
:param rows => [{id: "events:3f2a", props: {id: "events:3f2a", path: "demo.jsonl", last_line: 5000, completed: false}}]
UNWIND $rows AS row
MERGE (n:IngestCheckpoint {id: row.id})
SET n += row.props
