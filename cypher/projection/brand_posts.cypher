// Posts about brands with a sentiment, for posts with internal id in [$lo, $hi): author, brand, sentiment, time, engagement received
// (engagement by OPTIONAL MATCH + count: three pattern comprehensions per post cost ~40 us each on FalkorDB)
:param lo => 0
:param hi => 250000
MATCH (p:Post)
WHERE id(p) >= $lo AND id(p) < $hi AND p.sentiment IS NOT NULL
MATCH (a:Profile)-[:POSTED]->(p)-[:ABOUT]->(b:Brand)
OPTIONAL MATCH (p)<-[r:REPLY_TO]-(:Post)
WITH a, b, p, count(r) AS replies
OPTIONAL MATCH (p)<-[x:SHARED|LIKED]-(:Profile)
WITH a, b, p, replies, count(x) AS shares_and_likes
RETURN a.id AS profile, b.id AS brand, p.id AS post, p.sentiment AS sentiment, p.created_at AS created_at,
       replies + shares_and_likes AS engagement
