// A brand's own profiles ((:Brand)-[:HAS_PROFILE]->(:Profile)): the teleport set of its personalized PageRank
MATCH (b:Brand)-[:HAS_PROFILE]->(p:Profile)
RETURN b.id AS brand, p.id AS profile
