// Posts about brands with a sentiment, for posts with internal id in [$lo, $hi): author, brand, sentiment toward the brand (the ABOUT edge's, else the post's), time, engagement received
// (engagement by OPTIONAL MATCH + count: three pattern comprehensions per post cost ~40 us each on FalkorDB)
:param lo => 0
:param hi => 250000
MATCH (p:Post)
WHERE id(p) >= $lo AND id(p) < $hi AND p.sentiment IS NOT NULL
MATCH (a:Profile)-[:POSTED]->(p)-[ab:ABOUT]->(b:Brand)
WITH a, b, p, coalesce(ab.sentiment, p.sentiment) AS sentiment
OPTIONAL MATCH (p)<-[r:REPLY_TO]-(:Post)
WITH a, b, p, sentiment, count(r) AS replies
OPTIONAL MATCH (p)<-[x:SHARED|LIKED]-(:Profile)
WITH a, b, p, sentiment, replies, count(x) AS shares_and_likes
RETURN a.id AS profile, b.id AS brand, p.id AS post, sentiment, p.created_at AS created_at,
       replies + shares_and_likes AS engagement
