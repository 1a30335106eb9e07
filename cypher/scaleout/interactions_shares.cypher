// Shares for the Spark engine's Neo4j connector read: one row per interaction, string ids, time (epoch ms)
// The pattern of projection/engagement_shares.cypher without its id-range paging (the connector pages with SKIP/LIMIT)
MATCH (a:Profile)-[s:SHARED]->(p:Post)<-[:POSTED]-(b:Profile)
WHERE a <> b
RETURN a.id AS source, b.id AS target, 'share' AS kind, coalesce(s.at, p.created_at) AS time_ms
