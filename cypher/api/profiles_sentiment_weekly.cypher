// Mean post sentiment of the given profiles per week (weeks start Monday 00:00 UTC) since $since
:param ids => ["tw:ada"]
:param since => 0
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})-[:POSTED]->(post:Post)
// filtered after a WITH: as a filter of the MATCH, FalkorDB plans it as a scan of the Post.created_at
// index over every post since $since, joined back to the profile (a cost that grows with all posts)
WITH post
WHERE post.sentiment IS NOT NULL AND post.created_at >= $since
WITH toInteger(floor((post.created_at + 259200000) / 604800000.0)) AS week, post.sentiment AS sentiment
RETURN week, avg(sentiment) AS mean_sentiment, count(*) AS posts
ORDER BY week ASC
