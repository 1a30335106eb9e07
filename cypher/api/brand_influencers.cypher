// A brand's influencers by personalized PageRank of run $run_id (INFLUENCES rank after $after)
:param run_id => "run-1"
:param brand => "acme"
:param after => 0
:param community => null
:param platform => null
:param limit => 51
// WITH b makes the planner start at the brand (else FalkorDB may scan every profile)
MATCH (b:Brand {id: $brand})
WITH b
MATCH (b)<-[i:INFLUENCES]-(p:Profile)
WHERE i.run_id = $run_id AND i.rank > $after
  AND ($community IS NULL OR p.community = $community)
  AND ($platform IS NULL OR p.platform = $platform)
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.influence AS influence,
       i.rank AS rank, p.reach AS reach, p.community AS community, i.score AS brand_score,
       p.influence_rank AS influence_rank,
       p.influence_top_sources AS top_sources, p.influence_top_shares AS top_shares
ORDER BY rank ASC, id ASC
LIMIT $limit
