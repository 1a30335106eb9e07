// Upsert (:Customer)-[:HAS_PROFILE]->(:Profile) relationships by endpoint ids; missing endpoints become placeholders
:param rows => [{source: "c1", target: "tw:ada", props: {evidence: "customer_id", source: "events"}}]
UNWIND $rows AS row
MERGE (a:Customer {id: row.source})
MERGE (b:Profile {id: row.target})
MERGE (a)-[r:HAS_PROFILE]->(b)
SET r += row.props
