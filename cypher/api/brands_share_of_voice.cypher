// Every brand with the posts about it created in [$from_ms, $to_ms) (0 when none), by brand id
// What customers say: a post by a brand's own account (its support replies) or by staff does not count
:param from_ms => 0
:param to_ms => 1800000000000
MATCH (b:Brand)
OPTIONAL MATCH (q:Post)-[:ABOUT]->(b)
WHERE q.created_at >= $from_ms AND q.created_at < $to_ms
WITH b, q, [(q)<-[:POSTED]-(author:Profile) | author] AS authors,
     [(q)<-[:POSTED]-(:Profile)<-[:HAS_PROFILE]-(owner:Brand) | owner] AS owners
WITH b, CASE WHEN size(owners) > 0 OR any(author IN authors WHERE coalesce(author.role, 'customer') IN ['brand_owned', 'staff'])
             THEN null ELSE q END AS voiced
RETURN b.id AS id, b.name AS name, count(DISTINCT voiced) AS posts
ORDER BY id ASC
