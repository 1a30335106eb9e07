// Shares, one row per interaction, for sharers with internal id in [$lo, $hi): sharer, post author, time (epoch ms)
:param lo => 0
:param hi => 250000
MATCH (a:Profile)-[s:SHARED]->(p:Post)<-[:POSTED]-(b:Profile)
WHERE id(a) >= $lo AND id(a) < $hi
RETURN id(a) AS source, id(b) AS target, coalesce(s.at, p.created_at) AS t
