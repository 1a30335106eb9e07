// Non-synthetic posts with internal id in [$lo, $hi): the post and its author as internal ids, and its time (integers only)
// The screening's burst signal needs every post; the text-based signals read only posts with text
// (authored_texts.cypher). The author's label is not checked: the write path links only
// Profile-[:POSTED]->Post, and the reader keeps authors in the profile index only.
:param lo => 0
:param hi => 250000
MATCH (q:Post)
WHERE id(q) >= $lo AND id(q) < $hi AND q.synthetic IS NULL
MATCH (a)-[:POSTED]->(q)
RETURN id(q) AS post, id(a) AS author, q.created_at AS created_at
