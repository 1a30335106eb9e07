// Upsert (:Profile)-[:DETRACTS]->(:Brand) relationships by endpoint ids; missing endpoints become placeholders
:param rows => [{source: "tw:ada", target: "acme", props: {score: 0.7, run_id: "run-1"}}]
UNWIND $rows AS row
MERGE (a:Profile {id: row.source})
MERGE (b:Brand {id: row.target})
MERGE (a)-[r:DETRACTS]->(b)
SET r += row.props
