// Every ADVOCATES relationship of run $run_id to one brand (its advocates list): profile id, score, rank (customers only, as the list's API page shows by default)
:param run_id => "run-1"
:param brand => "acme"
MATCH (b:Brand {id: $brand})
WITH b
MATCH (b)<-[r:ADVOCATES]-(p:Profile)
WHERE r.run_id = $run_id AND coalesce(p.role, 'customer') = 'customer'
RETURN p.id AS id, r.score AS score, r.rank AS rank
ORDER BY score DESC, id ASC
