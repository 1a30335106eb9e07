// A customer's 360 view: identity, social profiles with current scores and activity, purchases, brand advocacy
// (each brand once in advocates_for / detracts_from, however many of the customer's profiles hold the stance)
// Each comprehension binds its own variable names: FalkorDB shares names across comprehensions in one RETURN
// (a second `(b:Brand)` matched only the first comprehension's `b`, so advocates_for came back empty).
:param customer => "cust-0001"
MATCH (c:Customer {id: $customer})
OPTIONAL MATCH (run:AnalysisRun)
WHERE run.current = true
OPTIONAL MATCH (c)-[:HAS_PROFILE]->(p:Profile)
OPTIONAL MATCH (p)-[:POSTED]->(q:Post)
WITH c, run, p, count(q) AS posts, avg(q.sentiment) AS mean_sentiment, max(q.created_at) AS last_post_at
WITH c, run.id AS run_id, collect(CASE WHEN p IS NULL THEN null ELSE {id: p.id, platform: p.platform, handle: p.handle,
     influence: p.influence, influence_rank: p.influence_rank, community: p.community, reach: p.reach,
     posts: posts, mean_sentiment: mean_sentiment, last_post_at: last_post_at} END) AS profiles
RETURN c.id AS customer, c.name AS name, c.email AS email, profiles,
       [(c)-[bought:PURCHASED]->(bought_brand:Brand) | {brand: bought_brand.id, at: bought.at, amount: bought.amount}]
         AS purchases,
       reduce(seen = [], brand IN [(c)-[:HAS_PROFILE]->(:Profile)-[adv:ADVOCATES]->(adv_brand:Brand)
                                   WHERE adv.run_id = run_id | adv_brand.id]
              | CASE WHEN brand IN seen THEN seen ELSE seen + brand END) AS advocates_for,
       reduce(seen = [], brand IN [(c)-[:HAS_PROFILE]->(:Profile)-[det:DETRACTS]->(det_brand:Brand)
                                   WHERE det.run_id = run_id | det_brand.id]
              | CASE WHEN brand IN seen THEN seen ELSE seen + brand END) AS detracts_from
