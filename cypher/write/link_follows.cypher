// Upsert (:Profile)-[:FOLLOWS]->(:Profile) relationships by endpoint ids; missing endpoints become placeholders
:param rows => [{source: "tw:ada", target: "tw:bob", props: {at: 1700000000000}}]
UNWIND $rows AS row
MERGE (a:Profile {id: row.source})
MERGE (b:Profile {id: row.target})
MERGE (a)-[r:FOLLOWS]->(b)
SET r += row.props
