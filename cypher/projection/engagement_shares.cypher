// Shares, one row per interaction, for sharers with internal id in [$lo, $hi): sharer, post author, time (epoch ms)
// Checks only the scanned label (see engagement_replies.cypher)
:param lo => 0
:param hi => 250000
MATCH (a:Profile)-[s:SHARED]->(p)<-[:POSTED]-(b)
WHERE id(a) >= $lo AND id(a) < $hi
RETURN id(a) AS source, id(b) AS target, coalesce(s.at, p.created_at) AS t
