// Atomically make a run current: flip AnalysisRun.current and copy the run's StagedScores onto their Profiles (entry i of each StagedScores column is profile_ids[i]'s, see stage_profile_scores.cypher; profiles it did not stage get influence 0, rank -1, community -1, their declared role or customer; a score the run staged as null, i.e. did not compute, is published as null: s.brokerage[i] of an absent list is null)
:param run_id => "run-20260101T000000-abcdef"
:param finished_at => 1700000000000
MATCH (r:AnalysisRun)
SET r.current = (r.id = $run_id),
    r.state = CASE WHEN r.id = $run_id THEN 'succeeded' ELSE r.state END,
    r.stage = CASE WHEN r.id = $run_id THEN 'published' ELSE r.stage END,
    r.finished_at = CASE WHEN r.id = $run_id THEN $finished_at ELSE r.finished_at END
WITH count(r) AS runs
MATCH (s:StagedScores {run_id: $run_id})
UNWIND range(0, size(s.profile_ids) - 1) AS i
MATCH (p:Profile {id: s.profile_ids[i]})
SET p.run_id = $run_id,
    p.influence = s.influence[i],
    p.influence_rank = s.influence_rank[i],
    p.community = s.community[i],
    p.reach = s.reach[i],
    p.brokerage = s.brokerage[i],
    p.influence_top_sources = s.influence_top_sources[s.influence_top_offsets[i]..s.influence_top_offsets[i + 1]],
    p.influence_top_shares = s.influence_top_shares[s.influence_top_offsets[i]..s.influence_top_offsets[i + 1]],
    p.influence_other = s.influence_other[i],
    p.influence_teleport = s.influence_teleport[i],
    p.role = s.role[i],
    p.role_reason = s.role_reason[i],
    p.screening_flags = s.screening_flags[s.screening_flag_offsets[i]..s.screening_flag_offsets[i + 1]],
    p.screening_evidence = s.screening_evidence[s.screening_evidence_offsets[i]..s.screening_evidence_offsets[i + 1]],
    p.screening_weight = s.screening_weight[i]
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
