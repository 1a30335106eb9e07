// Handles, platforms and up to $per_profile newest post texts of the given profiles (to label their communities)
:param ids => ["tw:ada"]
:param per_profile => 20
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})
OPTIONAL MATCH (p)-[:POSTED]->(q:Post)
WHERE q.text IS NOT NULL AND q.text <> ''
WITH p, q
ORDER BY q.created_at DESC
WITH p, collect(q.text) AS texts
RETURN p.id AS id, p.handle AS handle, p.platform AS platform, texts[0..$per_profile] AS texts
