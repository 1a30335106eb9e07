// Posts about brands with a sentiment, for posts with internal id in [$lo, $hi): author, brand, sentiment, time, engagement received
:param lo => 0
:param hi => 250000
MATCH (p:Post)
WHERE id(p) >= $lo AND id(p) < $hi AND p.sentiment IS NOT NULL
MATCH (a:Profile)-[:POSTED]->(p)-[:ABOUT]->(b:Brand)
RETURN a.id AS profile, b.id AS brand, p.id AS post, p.sentiment AS sentiment, p.created_at AS created_at,
       size([(p)<-[:REPLY_TO]-(:Post) | 1]) + size([(p)<-[:SHARED]-(:Profile) | 1])
       + size([(p)<-[:LIKED]-(:Profile) | 1]) AS engagement
