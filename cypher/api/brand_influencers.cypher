// A brand's influencers by personalized PageRank of run $run_id (INFLUENCES rank after $after, roles in $roles), explained by its own contributors
:param run_id => "run-1"
:param brand => "acme"
:param after => 0
:param community => null
:param platform => null
:param roles => ["customer"]
:param limit => 51
// WITH b makes the planner start at the brand (else FalkorDB may scan every profile)
MATCH (b:Brand {id: $brand})
WITH b
MATCH (b)<-[i:INFLUENCES]-(p:Profile)
WHERE i.run_id = $run_id AND i.rank > $after
  AND ($community IS NULL OR p.community = $community)
  AND ($platform IS NULL OR p.platform = $platform) AND coalesce(p.role, 'customer') IN $roles
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.influence AS influence,
       i.rank AS rank, p.reach AS reach, p.community AS community, i.score AS brand_score,
       p.influence_rank AS influence_rank,
       i.top_sources AS top_sources, i.top_contributions AS top_shares, i.other_sources AS other_sources,
       i.teleport AS teleport, coalesce(p.role, 'customer') AS role, p.role_reason AS role_reason
ORDER BY rank ASC, id ASC
LIMIT $limit
