// Detractors of a brand in the current run and their negative posts about it (sentiment toward the brand: the ABOUT edge's, else the post's) that nobody has replied to yet; roles in $roles (customers by default, as the API lists them)
:param brand => "northwind"
:param roles => ["customer"]
:param limit => 50
MATCH (run:AnalysisRun)
WHERE run.current = true
MATCH (p:Profile)-[d:DETRACTS]->(b:Brand {id: $brand})
WHERE d.run_id = run.id AND coalesce(p.role, 'customer') IN $roles
MATCH (p)-[:POSTED]->(q:Post)-[ab:ABOUT]->(b)
WHERE coalesce(ab.sentiment, q.sentiment) < 0 AND NOT (q)<-[:REPLY_TO]-(:Post)
RETURN p.id AS profile, coalesce(p.role, 'customer') AS role, d.rank AS rank, q.id AS post, q.text AS text, coalesce(ab.sentiment, q.sentiment) AS sentiment,
       q.created_at AS created_at
ORDER BY rank, sentiment, post
LIMIT $limit
