// Top influencers of one community in the current analysis run (influence = PageRank, highest first), roles in $roles
// (customers by default, as GET /v1/influencers?community= lists; add 'brand_owned', 'staff', 'placeholder' to see them)
:param community => 0
:param roles => ["customer"]
:param limit => 10
MATCH (run:AnalysisRun)
WHERE run.current = true
MATCH (p:Profile)
WHERE p.community = $community AND p.run_id = run.id AND coalesce(p.role, 'customer') IN $roles
RETURN p.id AS profile, p.handle AS handle, coalesce(p.role, 'customer') AS role, p.influence AS influence,
       p.influence_rank AS influence_rank
ORDER BY influence DESC, profile
LIMIT $limit
