// Replies, one row per interaction, for reply posts with internal id in [$lo, $hi): author, parent's author, time
// Starts at the REPLY_TO edge: FalkorDB expands each scanned node in 16-row batched matrix products, and
// scanning posts once beats scanning every profile's posts. Only the scanned label is checked; the
// write path (cypher/write/link_*.cypher) links only Profile-[:POSTED]->Post-[:REPLY_TO]->Post, the
// reader keeps profile endpoints only, and each further label costs FalkorDB another product per batch.
:param lo => 0
:param hi => 250000
MATCH (q:Post)-[:REPLY_TO]->()<-[:POSTED]-(b)
WHERE id(q) >= $lo AND id(q) < $hi
WITH q, b
MATCH (a)-[:POSTED]->(q)
RETURN id(a) AS source, id(b) AS target, q.created_at AS t
