// Stage one run's Profile scores, roles and screening in staged_* properties (invisible to readers until publish_run copies them)
:param run_id => "run-20260101T000000-abcdef"
:param rows => [{id: "tw:ada", influence: 0.5, influence_rank: 1, community: 0, reach: 3, brokerage: 0.25, influence_top_sources: ["tw:bob"], influence_top_shares: [0.2], influence_other: 0.1, influence_teleport: 0.2, role: "customer", role_reason: "", screening_flags: [], screening_evidence: [], screening_weight: 1.0}]
UNWIND $rows AS row
MATCH (p:Profile {id: row.id})
SET p.staged_run_id = $run_id,
    p.staged_influence = row.influence,
    p.staged_influence_rank = row.influence_rank,
    p.staged_community = row.community,
    p.staged_reach = row.reach,
    p.staged_brokerage = row.brokerage,
    p.staged_influence_top_sources = row.influence_top_sources,
    p.staged_influence_top_shares = row.influence_top_shares,
    p.staged_influence_other = row.influence_other,
    p.staged_influence_teleport = row.influence_teleport,
    p.staged_role = row.role,
    p.staged_role_reason = row.role_reason,
    p.staged_screening_flags = row.screening_flags,
    p.staged_screening_evidence = row.screening_evidence,
    p.staged_screening_weight = row.screening_weight
RETURN count(p) AS staged
