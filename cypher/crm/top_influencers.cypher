// The $top most influential profiles of run $run_id (influence_rank 1..$top): id, influence, rank (customers only, as the list's API page shows by default)
:param run_id => "run-1"
:param top => 10000
MATCH (p:Profile)
WHERE p.influence_rank >= 1 AND p.influence_rank <= $top AND p.run_id = $run_id
  AND coalesce(p.role, 'customer') = 'customer'
RETURN p.id AS id, p.influence AS score, p.influence_rank AS rank
ORDER BY rank ASC, id ASC
