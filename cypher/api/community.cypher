// One community of run $run_id: size, reach and mean influence (size 0 when it does not exist)
:param run_id => "run-1"
:param community => 0
OPTIONAL MATCH (p:Profile {community: $community})
WHERE p.run_id = $run_id
RETURN $run_id AS run_id, count(p) AS size, sum(p.reach) AS reach, avg(p.influence) AS mean_influence
