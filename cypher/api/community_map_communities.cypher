// Communities of run $run_id for the community map: size, summed influence and the $top most influential members whose role is in $roles, largest first
:param run_id => "run-1"
:param top => 3
:param roles => ["customer"]
MATCH (p:Profile)
WHERE p.run_id = $run_id AND p.community >= 0
WITH p
ORDER BY p.influence_rank ASC
WITH p.community AS community, count(p) AS size, sum(p.influence) AS influence,
     collect(CASE WHEN coalesce(p.role, 'customer') IN $roles
             THEN p {.id, .handle, .platform, .influence, .influence_rank, .role} END) AS members
RETURN community, size, influence, members[0..$top] AS top
ORDER BY size DESC, community ASC
