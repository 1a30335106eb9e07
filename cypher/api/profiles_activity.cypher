// The given profiles' activity for their 360 view, in one read: posts about each brand (count, mean sentiment toward it, latest), the run's brand results (ADVOCATES, DETRACTS, INFLUENCES), the $limit most recent conversations, and the weekly mean post sentiment since $since (weeks start Monday 00:00 UTC)
:param ids => ["tw:ada"]
:param run_id => "run-1"
:param limit => 10
:param since => 0
WITH $ids AS ids
CALL {
  WITH ids
  UNWIND ids AS profile_id
  MATCH (p:Profile {id: profile_id})-[:POSTED]->(post:Post)-[ab:ABOUT]->(b:Brand)
  WITH b, count(post) AS posts, avg(coalesce(ab.sentiment, post.sentiment)) AS mean_sentiment,
       max(post.created_at) AS last_at
  ORDER BY posts DESC, b.id ASC
  RETURN collect({brand: b.id, name: b.name, posts: posts, mean_sentiment: mean_sentiment, last_at: last_at}) AS brand_posts
}
CALL {
  WITH ids
  UNWIND ids AS profile_id
  MATCH (p:Profile {id: profile_id})-[r]->(b:Brand)
  WHERE r.run_id = $run_id
  WITH p, r, b
  ORDER BY b.id ASC, type(r) ASC, p.id ASC
  RETURN collect({profile: p.id, role: type(r), brand: b.id, name: b.name, score: r.score, rank: r.rank}) AS brand_roles
}
CALL {
  WITH ids
  UNWIND ids AS profile_id
  MATCH (p:Profile {id: profile_id})-[:POSTED]->(post:Post)-[:IN_CONVERSATION]->(c:Conversation)
  WITH c, max(post.created_at) AS last_at, count(post) AS posts
  ORDER BY last_at DESC, c.id ASC
  LIMIT $limit
  OPTIONAL MATCH (root:Post {id: c.root_post_id})
  WITH c, last_at, posts, root.text AS root_text, size([(x:Post)-[:IN_CONVERSATION]->(c) | 1]) AS size
  ORDER BY last_at DESC, c.id ASC
  RETURN collect({id: c.id, root_post_id: c.root_post_id, started_at: c.started_at, last_at: last_at, posts: posts,
                  root_text: root_text, size: size}) AS conversations
}
CALL {
  WITH ids
  UNWIND ids AS profile_id
  MATCH (p:Profile {id: profile_id})-[:POSTED]->(post:Post)
  // filtered after a WITH: as a filter of the MATCH, FalkorDB plans it as a scan of the Post.created_at
  // index over every post since $since, joined back to the profile (a cost that grows with all posts)
  WITH post
  WHERE post.sentiment IS NOT NULL AND post.created_at >= $since
  WITH toInteger(floor((post.created_at + 259200000) / 604800000.0)) AS week, avg(post.sentiment) AS mean_sentiment,
       count(*) AS posts
  ORDER BY week ASC
  RETURN collect({week: week, mean_sentiment: mean_sentiment, posts: posts}) AS weekly
}
RETURN brand_posts, brand_roles, conversations, weekly
