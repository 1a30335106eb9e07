// Profiles $ids of run $run_id with the columns of api.influencers (a page the read model chose; unknown ids give no row)
// The explanation's columns (top sources and shares, other sources, teleport) only when $explain: a page
// without them parses a third less (bench/api.py, influencers)
:param run_id => "run-1"
:param ids => ["tw:ada"]
:param explain => true
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})
WHERE p.run_id = $run_id
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.influence AS influence,
       p.influence_rank AS rank, p.reach AS reach, p.community AS community,
       coalesce(p.role, 'customer') AS role, p.role_reason AS role_reason,
       CASE WHEN $explain THEN p.influence_top_sources END AS top_sources,
       CASE WHEN $explain THEN p.influence_top_shares END AS top_shares,
       CASE WHEN $explain THEN p.influence_other END AS other_sources,
       CASE WHEN $explain THEN p.influence_teleport END AS teleport
