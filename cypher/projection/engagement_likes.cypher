// Likes, one row per interaction, for likers with internal id in [$lo, $hi): liker, post author, time (epoch ms)
// Checks only the scanned label (see engagement_replies.cypher)
:param lo => 0
:param hi => 250000
MATCH (a:Profile)-[l:LIKED]->(p)<-[:POSTED]-(b)
WHERE id(a) >= $lo AND id(a) < $hi
RETURN id(a) AS source, id(b) AS target, coalesce(l.at, p.created_at) AS t
