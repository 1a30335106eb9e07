// Upsert (:Post)-[:ABOUT]->(:Brand) relationships by endpoint ids; missing endpoints become placeholders
:param rows => [{source: "post1", target: "acme", props: {sentiment: 0.5, at: 1700000000000}}]
UNWIND $rows AS row
MERGE (a:Post {id: row.source})
MERGE (b:Brand {id: row.target})
MERGE (a)-[r:ABOUT]->(b)
SET r += row.props
