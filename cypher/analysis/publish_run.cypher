// Atomically make a run current: flip AnalysisRun.current and copy every Profile's staged scores (unstaged profiles get influence 0, rank -1, community -1, their declared role or customer)
:param run_id => "run-20260101T000000-abcdef"
:param finished_at => 1700000000000
MATCH (r:AnalysisRun)
SET r.current = (r.id = $run_id),
    r.state = CASE WHEN r.id = $run_id THEN 'succeeded' ELSE r.state END,
    r.stage = CASE WHEN r.id = $run_id THEN 'published' ELSE r.stage END,
    r.finished_at = CASE WHEN r.id = $run_id THEN $finished_at ELSE r.finished_at END
WITH count(r) AS runs
MATCH (p:Profile)
WITH p, coalesce(p.staged_run_id = $run_id, false) AS staged
SET p.run_id = $run_id,
    p.influence = CASE WHEN staged THEN p.staged_influence ELSE 0.0 END,
    p.influence_rank = CASE WHEN staged THEN p.staged_influence_rank ELSE -1 END,
    p.community = CASE WHEN staged THEN p.staged_community ELSE -1 END,
    p.reach = CASE WHEN staged THEN p.staged_reach ELSE 0 END,
    p.brokerage = CASE WHEN staged THEN p.staged_brokerage ELSE 0.0 END,
    p.influence_top_sources = CASE WHEN staged THEN p.staged_influence_top_sources ELSE [] END,
    p.influence_top_shares = CASE WHEN staged THEN p.staged_influence_top_shares ELSE [] END,
    p.influence_other = CASE WHEN staged THEN p.staged_influence_other ELSE 0.0 END,
    p.influence_teleport = CASE WHEN staged THEN p.staged_influence_teleport ELSE 0.0 END,
    p.role = CASE WHEN staged THEN p.staged_role ELSE coalesce(p.declared_role, 'customer') END,
    p.role_reason = CASE WHEN staged THEN p.staged_role_reason ELSE coalesce(p.declared_role_reason, '') END,
    p.screening_flags = CASE WHEN staged THEN p.staged_screening_flags ELSE [] END,
    p.screening_evidence = CASE WHEN staged THEN p.staged_screening_evidence ELSE [] END,
    p.screening_weight = CASE WHEN staged THEN p.staged_screening_weight ELSE 1.0 END,
    p.staged_run_id = null, p.staged_influence = null, p.staged_influence_rank = null,
    p.staged_community = null, p.staged_reach = null, p.staged_brokerage = null,
    p.staged_influence_top_sources = null, p.staged_influence_top_shares = null,
    p.staged_influence_other = null, p.staged_influence_teleport = null, p.staged_role = null,
    p.staged_role_reason = null, p.staged_screening_flags = null, p.staged_screening_evidence = null,
    p.staged_screening_weight = null
RETURN count(p) AS profiles
