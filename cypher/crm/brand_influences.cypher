// Every INFLUENCES relationship of run $run_id to one brand (its influencers list): profile id, score, rank
:param run_id => "run-1"
:param brand => "acme"
MATCH (b:Brand {id: $brand})
WITH b
MATCH (b)<-[r:INFLUENCES]-(p:Profile)
WHERE r.run_id = $run_id
RETURN p.id AS id, r.score AS score, r.rank AS rank
ORDER BY score DESC, id ASC
