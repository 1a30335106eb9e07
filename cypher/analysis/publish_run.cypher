// Atomically make a run current: flip AnalysisRun.current and copy every Profile's staged scores (unstaged profiles get influence 0, rank -1, community -1)
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
    p.staged_run_id = null, p.staged_influence = null, p.staged_influence_rank = null,
    p.staged_community = null, p.staged_reach = null, p.staged_brokerage = null,
    p.staged_influence_top_sources = null, p.staged_influence_top_shares = null
RETURN count(p) AS profiles
