// Profiles of run $run_id by influence rank: ranks in ($after, $upto], optional platform filter, roles in $roles
:param run_id => "run-1"
:param after => 0
:param upto => 50
:param platform => null
:param roles => ["customer"]
:param limit => 51
MATCH (p:Profile)
WHERE p.influence_rank > $after AND p.influence_rank <= $upto AND p.run_id = $run_id
  AND ($platform IS NULL OR p.platform = $platform) AND coalesce(p.role, 'customer') IN $roles
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.influence AS influence,
       p.influence_rank AS rank, p.reach AS reach, p.community AS community,
       p.influence_top_sources AS top_sources, p.influence_top_shares AS top_shares,
       coalesce(p.role, 'customer') AS role, p.role_reason AS role_reason,
       p.influence_other AS other_sources, p.influence_teleport AS teleport
ORDER BY rank ASC, id ASC
LIMIT $limit
