// Profiles $ids of run $run_id with the columns of api.influencers (a page the read model chose; unknown ids give no row)
:param run_id => "run-1"
:param ids => ["tw:ada"]
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})
WHERE p.run_id = $run_id
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.influence AS influence,
       p.influence_rank AS rank, p.reach AS reach, p.community AS community,
       p.influence_top_sources AS top_sources, p.influence_top_shares AS top_shares,
       coalesce(p.role, 'customer') AS role, p.role_reason AS role_reason,
       p.influence_other AS other_sources, p.influence_teleport AS teleport
