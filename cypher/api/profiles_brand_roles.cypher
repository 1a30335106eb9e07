// The current run's brand results for the given profiles: ADVOCATES, DETRACTS and INFLUENCES
:param run_id => "run-1"
:param ids => ["tw:ada"]
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})-[r]->(b:Brand)
WHERE r.run_id = $run_id
RETURN p.id AS profile, type(r) AS role, b.id AS brand, b.name AS name, r.score AS score, r.rank AS rank,
       r.mean_sentiment AS mean_sentiment
ORDER BY brand ASC, role ASC, profile ASC
