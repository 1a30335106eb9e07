// Profiles $ids of run $run_id as segment members ranked by influence, with the columns of api.segment_members_all
:param run_id => "run-1"
:param ids => ["tw:ada"]
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})
WHERE p.run_id = $run_id
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.community AS community,
       coalesce(p.role, 'customer') AS role,
       p.influence AS influence, p.influence AS score, p.influence_rank AS rank, null AS mean_sentiment,
       [(c:Customer)-[:HAS_PROFILE]->(p) | c {.id, .email, .email_verified, .attr_contact_allowed}] AS customers
