// Atomically make a run current: flip AnalysisRun.current and copy every Profile's staged scores (unstaged profiles get influence 0, rank -1, community -1, their declared role or customer; a score the run staged as null is published as null)
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
// the new values are read first, then the staged_* properties removed, then the values set: FalkorDB
// 4.16 mishandles one SET that removes properties from the middle and the end of a node's property
// list at once (docs/stores.md), which a score staged as null next to the staged_* removals was
WITH p,
     CASE WHEN staged THEN p.staged_influence ELSE 0.0 END AS influence,
     CASE WHEN staged THEN p.staged_influence_rank ELSE -1 END AS influence_rank,
     CASE WHEN staged THEN p.staged_community ELSE -1 END AS community,
     CASE WHEN staged THEN p.staged_reach ELSE 0 END AS reach,
     CASE WHEN staged THEN p.staged_brokerage ELSE 0.0 END AS brokerage,
     CASE WHEN staged THEN p.staged_influence_top_sources ELSE [] END AS influence_top_sources,
     CASE WHEN staged THEN p.staged_influence_top_shares ELSE [] END AS influence_top_shares,
     CASE WHEN staged THEN p.staged_influence_other ELSE 0.0 END AS influence_other,
     CASE WHEN staged THEN p.staged_influence_teleport ELSE 0.0 END AS influence_teleport,
     CASE WHEN staged THEN p.staged_role ELSE coalesce(p.declared_role, 'customer') END AS role,
     CASE WHEN staged THEN p.staged_role_reason ELSE coalesce(p.declared_role_reason, '') END AS role_reason,
     CASE WHEN staged THEN p.staged_screening_flags ELSE [] END AS screening_flags,
     CASE WHEN staged THEN p.staged_screening_evidence ELSE [] END AS screening_evidence,
     CASE WHEN staged THEN p.staged_screening_weight ELSE 1.0 END AS screening_weight
SET p.staged_run_id = null, p.staged_influence = null, p.staged_influence_rank = null,
    p.staged_community = null, p.staged_reach = null, p.staged_brokerage = null,
    p.staged_influence_top_sources = null, p.staged_influence_top_shares = null,
    p.staged_influence_other = null, p.staged_influence_teleport = null, p.staged_role = null,
    p.staged_role_reason = null, p.staged_screening_flags = null, p.staged_screening_evidence = null,
    p.staged_screening_weight = null
WITH p, influence, influence_rank, community, reach, brokerage, influence_top_sources,
     influence_top_shares, influence_other, influence_teleport, role, role_reason, screening_flags,
     screening_evidence, screening_weight
SET p.run_id = $run_id,
    p.influence = influence,
    p.influence_rank = influence_rank,
    p.community = community,
    p.reach = reach,
    p.brokerage = brokerage,
    p.influence_top_sources = influence_top_sources,
    p.influence_top_shares = influence_top_shares,
    p.influence_other = influence_other,
    p.influence_teleport = influence_teleport,
    p.role = role,
    p.role_reason = role_reason,
    p.screening_flags = screening_flags,
    p.screening_evidence = screening_evidence,
    p.screening_weight = screening_weight
RETURN count(p) AS profiles
