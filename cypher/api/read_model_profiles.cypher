// The read model's profile columns of run $run_id: what the ranked pages order and filter by (api.read_model)
:param run_id => "run-1"
MATCH (p:Profile)
WHERE p.run_id = $run_id
RETURN p.id AS id, p.influence AS influence, p.influence_rank AS rank, p.community AS community,
       p.platform AS platform, coalesce(p.role, 'customer') AS role
