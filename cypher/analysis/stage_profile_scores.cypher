// Stage one run's Profile scores, roles and screening on StagedScores nodes, one per known profile (no reader looks at them; publish_run copies them onto the profiles, then they are deleted)
:param run_id => "run-20260101T000000-abcdef"
:param rows => [{id: "tw:ada", influence: 0.5, influence_rank: 1, community: 0, reach: 3, brokerage: 0.25, influence_top_sources: ["tw:bob"], influence_top_shares: [0.2], influence_other: 0.1, influence_teleport: 0.2, role: "customer", role_reason: "", screening_flags: [], screening_evidence: [], screening_weight: 1.0}]
// The profile is not touched here, not even looked up: on FalkorDB any property written to a node of an
// indexed label re-indexes the whole node (bench/store_writes.py), and the rows come from the profiles
// the run read; one erased since is matched by nothing in publish_run and deleted with the run's others
UNWIND $rows AS row
CREATE (s:StagedScores {
    run_id: $run_id,
    profile_id: row.id,
    influence: row.influence,
    influence_rank: row.influence_rank,
    community: row.community,
    reach: row.reach,
    brokerage: row.brokerage,
    influence_top_sources: row.influence_top_sources,
    influence_top_shares: row.influence_top_shares,
    influence_other: row.influence_other,
    influence_teleport: row.influence_teleport,
    role: row.role,
    role_reason: row.role_reason,
    screening_flags: row.screening_flags,
    screening_evidence: row.screening_evidence,
    screening_weight: row.screening_weight
})
RETURN count(s) AS staged
