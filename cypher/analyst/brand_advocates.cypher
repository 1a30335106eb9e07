// Advocates of a brand in the current run, best first, with the text of their best (evidence) posts
:param brand => "northwind"
:param limit => 20
MATCH (run:AnalysisRun)
WHERE run.current = true
MATCH (p:Profile)-[a:ADVOCATES]->(b:Brand {id: $brand})
WHERE a.run_id = run.id
RETURN p.id AS profile, a.rank AS rank, a.score AS score, a.posts AS posts, a.mean_sentiment AS mean_sentiment,
       a.evidence_post_ids AS best_post_ids,
       [(p)-[:POSTED]->(q:Post) WHERE q.id IN a.evidence_post_ids | q.text] AS best_post_texts
ORDER BY rank
LIMIT $limit
