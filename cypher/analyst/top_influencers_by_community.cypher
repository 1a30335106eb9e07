// Top influencers of one community in the current analysis run (influence = PageRank, highest first)
:param community => 0
:param limit => 10
MATCH (run:AnalysisRun)
WHERE run.current = true
MATCH (p:Profile)
WHERE p.community = $community AND p.run_id = run.id
RETURN p.id AS profile, p.handle AS handle, p.influence AS influence, p.influence_rank AS influence_rank
ORDER BY influence DESC, profile
LIMIT $limit
