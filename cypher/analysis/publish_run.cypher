// Atomically make a run current: flip AnalysisRun.current and copy the run's StagedScores onto their Profiles (profiles it did not stage get influence 0, rank -1, community -1, their declared role or customer; a score the run staged as null is published as null, a role, reason, screening value or top-source list staged as null as its default: graph.results.PUBLISH_DEFAULTS)
:param run_id => "run-20260101T000000-abcdef"
:param finished_at => 1700000000000
MATCH (r:AnalysisRun)
SET r.current = (r.id = $run_id),
    r.state = CASE WHEN r.id = $run_id THEN 'succeeded' ELSE r.state END,
    r.stage = CASE WHEN r.id = $run_id THEN 'published' ELSE r.stage END,
    r.finished_at = CASE WHEN r.id = $run_id THEN $finished_at ELSE r.finished_at END
WITH count(r) AS runs
MATCH (s:StagedScores {run_id: $run_id})
MATCH (p:Profile {id: s.profile_id})
SET p.run_id = $run_id,
    p.influence = s.influence,
    p.influence_rank = s.influence_rank,
    p.community = s.community,
    p.reach = s.reach,
    p.brokerage = s.brokerage,
    p.influence_top_sources = coalesce(s.influence_top_sources, []),
    p.influence_top_shares = coalesce(s.influence_top_shares, []),
    p.influence_other = s.influence_other,
    p.influence_teleport = s.influence_teleport,
    p.role = coalesce(s.role, 'customer'),
    p.role_reason = coalesce(s.role_reason, ''),
    p.screening_flags = coalesce(s.screening_flags, []),
    p.screening_evidence = coalesce(s.screening_evidence, []),
    p.screening_weight = coalesce(s.screening_weight, 1.0)
// the aggregation ends the copy before the scan below, which so sees every staged profile stamped
WITH count(p) AS staged
MATCH (p:Profile)
WHERE p.run_id IS NULL OR p.run_id <> $run_id
SET p.run_id = $run_id,
    p.influence = 0.0,
    p.influence_rank = -1,
    p.community = -1,
    p.reach = 0,
    p.brokerage = 0.0,
    p.influence_top_sources = [],
    p.influence_top_shares = [],
    p.influence_other = 0.0,
    p.influence_teleport = 0.0,
    p.role = coalesce(p.declared_role, 'customer'),
    p.role_reason = coalesce(p.declared_role_reason, ''),
    p.screening_flags = [],
    p.screening_evidence = [],
    p.screening_weight = 1.0
// one row whatever matched above (an aggregation without a grouping key), then every profile counted
WITH count(p) AS unstaged
MATCH (p:Profile)
WHERE p.run_id = $run_id
RETURN count(p) AS profiles
