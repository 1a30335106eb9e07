// Upsert (:Profile)-[:MIXED_STANCE]->(:Brand) result relationships of one analysis run (keyed on run_id)
:param rows => [{source: "tw:ada", target: "acme", props: {run_id: "run-1", score: 1.5, rank: 1}}]
UNWIND $rows AS row
MERGE (a:Profile {id: row.source})
MERGE (b:Brand {id: row.target})
MERGE (a)-[r:MIXED_STANCE {run_id: row.props.run_id}]->(b)
SET r += row.props
