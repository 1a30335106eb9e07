// Every community of run $run_id: size, reach and mean influence (community -1, the profiles the run placed in none, left out)
:param run_id => "run-1"
MATCH (p:Profile)
WHERE p.run_id = $run_id AND p.community >= 0
RETURN p.community AS community, count(p) AS size, sum(p.reach) AS reach, avg(p.influence) AS mean_influence
