// Mentions for the Spark engine's Neo4j connector read: one row per interaction, string ids, time (epoch ms)
// The pattern of projection/engagement_mentions.cypher without its id-range paging (the connector pages with SKIP/LIMIT)
MATCH (q:Post)-[m:MENTIONS]->(b:Profile)
MATCH (a:Profile)-[:POSTED]->(q)
WHERE a <> b
RETURN a.id AS source, b.id AS target, 'mention' AS kind, coalesce(m.at, q.created_at) AS time_ms
