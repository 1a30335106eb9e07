// Upsert (:Post)-[:MENTIONS]->(:Profile) relationships by endpoint ids; missing endpoints become placeholders
:param rows => [{source: "post1", target: "tw:ada", props: {sentiment: 0.5, at: 1700000000000}}]
UNWIND $rows AS row
MERGE (a:Post {id: row.source})
MERGE (b:Profile {id: row.target})
MERGE (a)-[r:MENTIONS]->(b)
SET r += row.props
