// Replies for the Spark engine's Neo4j connector read: one row per interaction, string ids, time (epoch ms)
// The pattern of projection/engagement_replies.cypher without its id-range paging (the connector pages with SKIP/LIMIT)
MATCH (q:Post)-[:REPLY_TO]->()<-[:POSTED]-(b:Profile)
MATCH (a:Profile)-[:POSTED]->(q)
WHERE a <> b
RETURN a.id AS source, b.id AS target, 'reply' AS kind, q.created_at AS time_ms
