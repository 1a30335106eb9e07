// The read model's INFLUENCES relationships of run $run_id: per brand, each profile's brand influence (personalized PageRank) score and rank (api.read_model)
:param run_id => "run-1"
MATCH (p:Profile)-[r:INFLUENCES]->(b:Brand)
WHERE r.run_id = $run_id
RETURN b.id AS brand, p.id AS id, r.score AS score, r.rank AS rank, r.mean_sentiment AS mean_sentiment
