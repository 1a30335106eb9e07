// Profiles of run $run_id with a screening signal (flagged ones first when $flagged_only is false), by id, SKIP/LIMIT
:param run_id => "run-1"
:param flagged_only => true
:param skip => 0
:param limit => 51
MATCH (p:Profile)
WHERE p.run_id = $run_id AND size(coalesce(p.screening_flags, [])) > 0
  AND (NOT $flagged_only OR 'coordinated_text' IN p.screening_flags)
RETURN p.id AS id, p.handle AS handle, p.platform AS platform, coalesce(p.role, 'customer') AS role,
       p.screening_flags AS flags, p.screening_evidence AS evidence, p.screening_weight AS weight,
       'coordinated_text' IN p.screening_flags AS flagged
ORDER BY flagged DESC, id ASC
SKIP $skip
LIMIT $limit
