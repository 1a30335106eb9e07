// The parts of one list's record in one run, in order (no row: not recorded)
:param run_id => "run-1"
:param list => "segment:vip"
MATCH (s:RunList)
WHERE s.run_id = $run_id AND s.list = $list
RETURN s.part AS part, s.parts AS parts, s.definition AS definition, s.profile_ids AS profile_ids,
       s.scores AS scores, s.ranks AS ranks
ORDER BY part ASC
