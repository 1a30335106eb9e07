// Likes for the Spark engine's Neo4j connector read: one row per interaction, string ids, time (epoch ms)
// The pattern of projection/engagement_likes.cypher without its id-range paging (the connector pages with SKIP/LIMIT)
MATCH (a:Profile)-[l:LIKED]->(p:Post)<-[:POSTED]-(b:Profile)
WHERE a <> b
RETURN a.id AS source, b.id AS target, 'like' AS kind, coalesce(l.at, p.created_at) AS time_ms
