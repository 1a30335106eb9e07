// Communities of run $run_id by size (largest first) with their $top most influential members whose role is in $roles
// (community -1 holds the profiles the run did not place in one: not a community, as in api.community_map_communities)
:param run_id => "run-1"
:param roles => ["customer"]
:param top => 5
:param skip => 0
:param limit => 51
MATCH (p:Profile)
WHERE p.run_id = $run_id AND p.community >= 0
WITH p
ORDER BY p.influence_rank ASC
WITH p.community AS community, count(p) AS size, sum(p.reach) AS reach,
     collect(CASE WHEN coalesce(p.role, 'customer') IN $roles
             THEN p {.id, .handle, .platform, .influence, .influence_rank, .role} END) AS members
RETURN $run_id AS run_id, community, size, reach, members[0..$top] AS top
ORDER BY size DESC, community ASC
SKIP $skip
LIMIT $limit
