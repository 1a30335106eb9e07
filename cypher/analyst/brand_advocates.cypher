// Advocates of a brand in the current run, best first, with the text of their best (evidence) posts; roles in $roles (customers by default, as the API lists them)
:param brand => "northwind"
:param roles => ["customer"]
:param limit => 20
MATCH (run:AnalysisRun)
WHERE run.current = true
MATCH (p:Profile)-[a:ADVOCATES]->(b:Brand {id: $brand})
WHERE a.run_id = run.id AND coalesce(p.role, 'customer') IN $roles
RETURN p.id AS profile, coalesce(p.role, 'customer') AS role, a.rank AS rank, a.score AS score, a.posts AS posts, a.mean_sentiment AS mean_sentiment,
       a.evidence_post_ids AS best_post_ids,
       [(p)-[:POSTED]->(q:Post) WHERE q.id IN a.evidence_post_ids | q.text] AS best_post_texts
ORDER BY rank
LIMIT $limit
