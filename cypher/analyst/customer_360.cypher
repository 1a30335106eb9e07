// A customer's 360 view: identity, social profiles with current scores and activity, purchases, brand advocacy
:param customer => "c1"
MATCH (c:Customer {id: $customer})
OPTIONAL MATCH (run:AnalysisRun)
WHERE run.current = true
OPTIONAL MATCH (c)-[:HAS_PROFILE]->(p:Profile)
OPTIONAL MATCH (p)-[:POSTED]->(q:Post)
WITH c, run, p, count(q) AS posts, avg(q.sentiment) AS mean_sentiment, max(q.created_at) AS last_post_at
WITH c, run, collect(CASE WHEN p IS NULL THEN null ELSE {id: p.id, platform: p.platform, handle: p.handle,
     influence: p.influence, influence_rank: p.influence_rank, community: p.community, reach: p.reach,
     posts: posts, mean_sentiment: mean_sentiment, last_post_at: last_post_at} END) AS profiles
RETURN c.id AS customer, c.name AS name, c.email AS email, profiles,
       [(c)-[x:PURCHASED]->(b:Brand) | {brand: b.id, at: x.at, amount: x.amount}] AS purchases,
       [x IN [(c)-[:HAS_PROFILE]->(:Profile)-[a:ADVOCATES]->(b:Brand) | [a.run_id, b.id]] WHERE x[0] = run.id | x[1]]
         AS advocates_for,
       [x IN [(c)-[:HAS_PROFILE]->(:Profile)-[d:DETRACTS]->(b:Brand) | [d.run_id, b.id]] WHERE x[0] = run.id | x[1]]
         AS detracts_from
