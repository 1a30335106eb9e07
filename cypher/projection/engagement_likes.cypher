// Likes, one row per interaction, for likers with internal id in [$lo, $hi): liker, post author, time (epoch ms)
:param lo => 0
:param hi => 250000
MATCH (a:Profile)-[l:LIKED]->(p:Post)<-[:POSTED]-(b:Profile)
WHERE id(a) >= $lo AND id(a) < $hi
RETURN id(a) AS source, id(b) AS target, coalesce(l.at, p.created_at) AS t
