// Profiles $ids of run $run_id as segment members by their ADVOCATES score for brand $brand, with the columns of api.segment_members_advocates but customers (api.segment_member_customers)
:param run_id => "run-1"
:param brand => "acme"
:param ids => ["tw:ada"]
// from each profile by its id index, the brand unlabelled: with (b:Brand {id}) FalkorDB starts at the brand
// and walks every ADVOCATES edge once per id
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})
WITH p
MATCH (p)-[a:ADVOCATES]->(b)
WHERE a.run_id = $run_id AND b.id = $brand
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.community AS community,
       coalesce(p.role, 'customer') AS role,
       p.influence AS influence, a.score AS score, a.rank AS rank, a.mean_sentiment AS mean_sentiment
