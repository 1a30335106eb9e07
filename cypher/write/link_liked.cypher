// Upsert (:Profile)-[:LIKED]->(:Post) relationships by endpoint ids; missing endpoints become placeholders
:param rows => [{source: "tw:ada", target: "post1", props: {at: 1700000000000}}]
UNWIND $rows AS row
MERGE (a:Profile {id: row.source})
MERGE (b:Post {id: row.target})
MERGE (a)-[r:LIKED]->(b)
SET r += row.props
