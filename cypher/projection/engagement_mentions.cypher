// Mentions, one row per interaction, for authors with internal id in [$lo, $hi): author, mentioned profile, time
:param lo => 0
:param hi => 250000
MATCH (a:Profile)-[:POSTED]->(q:Post)-[m:MENTIONS]->(b:Profile)
WHERE id(a) >= $lo AND id(a) < $hi
RETURN id(a) AS source, id(b) AS target, coalesce(m.at, q.created_at) AS t
