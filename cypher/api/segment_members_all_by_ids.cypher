// Profiles $ids of run $run_id as segment members ranked by influence, with the columns of api.segment_members_all but customers (api.segment_member_customers)
:param run_id => "run-1"
:param ids => ["tw:ada"]
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})
WHERE p.run_id = $run_id
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.community AS community,
       coalesce(p.role, 'customer') AS role,
       p.influence AS influence, p.influence AS score, p.influence_rank AS rank, null AS mean_sentiment
