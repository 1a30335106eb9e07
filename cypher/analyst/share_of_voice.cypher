// Share of voice: posts about each brand / all posts about brands, created in [$from_ms, $to_ms)
:param from_ms => 1700000000000
:param to_ms => 1800000000000
MATCH (q:Post)-[:ABOUT]->(b:Brand)
WHERE q.created_at >= $from_ms AND q.created_at < $to_ms
WITH b.id AS brand, count(DISTINCT q) AS posts
WITH collect({brand: brand, posts: posts}) AS rows, sum(posts) AS total
UNWIND rows AS row
RETURN row.brand AS brand, row.posts AS posts, toFloat(row.posts) / total AS share
ORDER BY share DESC, brand
