// Every profile's string id, for the Spark engine's Neo4j connector read
MATCH (p:Profile)
RETURN p.id AS id
