// authored_posts.cypher for the posts that have a text only: what role detection and near-duplicate screening read
:param lo => 0
:param hi => 250000
MATCH (q:Post)
WHERE id(q) >= $lo AND id(q) < $hi AND q.synthetic IS NULL AND q.text <> ''
MATCH (a:Profile)-[:POSTED]->(q)
OPTIONAL MATCH (q)-[:REPLY_TO]->(:Post)<-[:POSTED]-(parent:Profile)
RETURN a.id AS author, q.id AS post, q.text AS text, q.created_at AS created_at, q.sentiment AS sentiment,
       parent.id AS reply_to_author, [(q)-[:MENTIONS]->(m:Profile) | m.id] AS mentions
