// Profiles $ids as influencers of brand $brand in run $run_id, with the columns of api.brand_influencers (a page the read model chose)
:param run_id => "run-1"
:param brand => "acme"
:param ids => ["tw:ada"]
:param explain => true
// The explanation's columns (top sources and contributions, other sources, teleport) only when $explain
// from each profile by its id index, the brand unlabelled: with (b:Brand {id}) FalkorDB starts at the brand
// and walks every INFLUENCES edge once per id
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})
WITH p
MATCH (p)-[i:INFLUENCES]->(b)
WHERE i.run_id = $run_id AND b.id = $brand
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.influence AS influence,
       i.rank AS rank, p.reach AS reach, p.community AS community, i.score AS brand_score,
       p.influence_rank AS influence_rank,
       coalesce(p.role, 'customer') AS role, p.role_reason AS role_reason,
       CASE WHEN $explain THEN i.top_sources END AS top_sources,
       CASE WHEN $explain THEN i.top_contributions END AS top_shares,
       CASE WHEN $explain THEN i.other_sources END AS other_sources,
       CASE WHEN $explain THEN i.teleport END AS teleport
