// Upsert (:Post)-[:REPLY_TO]->(:Post) relationships by endpoint ids; missing endpoints become placeholders
:param rows => [{source: "post1", target: "post2", props: {}}]
UNWIND $rows AS row
MERGE (a:Post {id: row.source})
MERGE (b:Post {id: row.target})
MERGE (a)-[r:REPLY_TO]->(b)
SET r += row.props
