// Community bridges: high-brokerage profiles (roles in $roles) whose neighbours (top influence sources, follows) span several communities
:param roles => ["customer"]
:param min_communities => 2
:param limit => 20
MATCH (run:AnalysisRun)
WHERE run.current = true
MATCH (p:Profile)
WHERE p.run_id = run.id AND p.brokerage > 0 AND coalesce(p.role, 'customer') IN $roles
WITH p, p.influence_top_sources + [(p)-[:FOLLOWS]-(f:Profile) | f.id] AS neighbour_ids
UNWIND neighbour_ids AS neighbour_id
MATCH (n:Profile {id: neighbour_id})
WHERE n.community >= 0
WITH p, collect(DISTINCT n.community) AS communities
WHERE size(communities) >= $min_communities
RETURN p.id AS profile, p.handle AS handle, p.platform AS platform, p.community AS community, p.brokerage AS brokerage, communities,
       coalesce(p.role, 'customer') AS role
ORDER BY brokerage DESC, profile
LIMIT $limit
