// Mean sentiment toward one brand (the ABOUT edge's, else the post's) of the posts about it per week (weeks start Monday 00:00 UTC) in [$from_ms, $to_ms)
// What customers say: posts by a brand's own accounts (its support replies) or staff are left out, as in the alerts
:param brand => "acme"
:param from_ms => 0
:param to_ms => 1800000000000
MATCH (post:Post)-[ab:ABOUT]->(b:Brand {id: $brand})
WHERE post.sentiment IS NOT NULL AND post.created_at >= $from_ms AND post.created_at < $to_ms
WITH post, ab, [(post)<-[:POSTED]-(author:Profile) | author] AS authors,
     [(post)<-[:POSTED]-(:Profile)<-[:HAS_PROFILE]-(owner:Brand) | owner] AS owners
WHERE size(owners) = 0 AND none(author IN authors WHERE coalesce(author.role, 'customer') IN ['brand_owned', 'staff'])
WITH toInteger(floor((post.created_at + 259200000) / 604800000.0)) AS week,
     coalesce(ab.sentiment, post.sentiment) AS sentiment
RETURN week, avg(sentiment) AS mean_sentiment, count(*) AS posts,
       sum(CASE WHEN sentiment > 0.05 THEN 1 ELSE 0 END) AS positive,
       sum(CASE WHEN sentiment < -0.05 THEN 1 ELSE 0 END) AS negative
ORDER BY week ASC
