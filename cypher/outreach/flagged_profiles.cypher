// Profiles that run $run_id's screening flagged (coordinated or automated accounts, down-weighted): their engagement makes them no audience for outreach
:param run_id => "run-1"
MATCH (p:Profile)
WHERE p.run_id = $run_id AND p.screening_weight < 1.0
RETURN p.id AS id
