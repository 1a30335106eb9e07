// Upsert (:Profile)-[:POSTED]->(:Post) relationships by endpoint ids; missing endpoints become placeholders
:param rows => [{source: "tw:ada", target: "post1", props: {}}]
UNWIND $rows AS row
MERGE (a:Profile {id: row.source})
MERGE (b:Post {id: row.target})
MERGE (a)-[r:POSTED]->(b)
SET r += row.props
