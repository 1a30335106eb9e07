// Upsert (:Post)-[:IN_CONVERSATION]->(:Conversation) relationships by endpoint ids; missing endpoints become placeholders
:param rows => [{source: "post1", target: "post1", props: {}}]
UNWIND $rows AS row
MERGE (a:Post {id: row.source})
MERGE (b:Conversation {id: row.target})
MERGE (a)-[r:IN_CONVERSATION]->(b)
SET r += row.props
