// FOLLOWS edges (follower, followed) as string ids, for the Spark engine's Neo4j connector read
MATCH (a:Profile)-[:FOLLOWS]->(b:Profile)
WHERE a <> b
RETURN a.id AS source, b.id AS target
