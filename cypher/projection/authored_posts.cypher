// Non-synthetic posts with internal id in [$lo, $hi): author, text, time, sentiment, the replied-to post's author, mentioned profiles
:param lo => 0
:param hi => 250000
MATCH (q:Post)
WHERE id(q) >= $lo AND id(q) < $hi AND q.synthetic IS NULL
MATCH (a:Profile)-[:POSTED]->(q)
OPTIONAL MATCH (q)-[:REPLY_TO]->(:Post)<-[:POSTED]-(parent:Profile)
RETURN a.id AS author, q.id AS post, q.text AS text, q.created_at AS created_at, q.sentiment AS sentiment,
       parent.id AS reply_to_author, [(q)-[:MENTIONS]->(m:Profile) | m.id] AS mentions
