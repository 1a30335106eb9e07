// Every brand with the posts about it created in [$from_ms, $to_ms) (0 when none), by brand id
:param from_ms => 0
:param to_ms => 1800000000000
MATCH (b:Brand)
OPTIONAL MATCH (q:Post)-[:ABOUT]->(b)
WHERE q.created_at >= $from_ms AND q.created_at < $to_ms
RETURN b.id AS id, b.name AS name, count(DISTINCT q) AS posts
ORDER BY id ASC
