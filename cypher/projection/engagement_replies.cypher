// Replies, one row per interaction, for reply authors with internal id in [$lo, $hi): author, parent's author, time
:param lo => 0
:param hi => 250000
MATCH (a:Profile)-[:POSTED]->(q:Post)-[:REPLY_TO]->(:Post)<-[:POSTED]-(b:Profile)
WHERE id(a) >= $lo AND id(a) < $hi
RETURN id(a) AS source, id(b) AS target, q.created_at AS t
