// Remove up to $limit Profiles' staged_* scores left by a failed run (call until it returns 0)
:param limit => 10000
MATCH (p:Profile)
WHERE p.staged_run_id IS NOT NULL
WITH p LIMIT $limit
SET p.staged_run_id = null, p.staged_influence = null, p.staged_influence_rank = null,
    p.staged_community = null, p.staged_reach = null, p.staged_brokerage = null,
    p.staged_influence_top_sources = null, p.staged_influence_top_shares = null,
    p.staged_influence_other = null, p.staged_influence_teleport = null, p.staged_role = null,
    p.staged_role_reason = null, p.staged_screening_flags = null, p.staged_screening_evidence = null,
    p.staged_screening_weight = null
RETURN count(p) AS cleared
