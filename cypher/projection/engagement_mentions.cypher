// Mentions, one row per interaction, for mentioning posts with internal id in [$lo, $hi): author, mentioned profile, time
// Starts at the MENTIONS edge and checks only the scanned label (see engagement_replies.cypher)
:param lo => 0
:param hi => 250000
MATCH (q:Post)-[m:MENTIONS]->(b)
WHERE id(q) >= $lo AND id(q) < $hi
WITH q, m, b
MATCH (a)-[:POSTED]->(q)
RETURN id(a) AS source, id(b) AS target, coalesce(m.at, q.created_at) AS t
