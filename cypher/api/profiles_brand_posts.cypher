// Posts about each brand by the given profiles: count, mean sentiment and the latest post time
:param ids => ["tw:ada"]
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})-[:POSTED]->(post:Post)-[ab:ABOUT]->(b:Brand)
RETURN b.id AS brand, b.name AS name, count(post) AS posts,
       avg(coalesce(ab.sentiment, post.sentiment)) AS mean_sentiment, max(post.created_at) AS last_at
ORDER BY posts DESC, brand ASC
