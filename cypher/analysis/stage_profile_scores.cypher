// Stage a batch of one run's Profile scores, roles and screening on one StagedScores node, as columns: entry i of each list is profile_ids[i]'s (no reader looks at these nodes; publish_run copies them onto the profiles, then they are deleted)
:param run_id => "run-20260101T000000-abcdef"
:param profile_ids => ["tw:ada", "tw:bob"]
:param influence => [0.5, 0.25]
:param influence_rank => [1, 2]
:param community => [0, 0]
:param reach => [3, 1]
:param brokerage => [0.25, 0.0]
:param influence_top_sources => ["tw:bob"]
:param influence_top_shares => [0.2]
:param influence_top_offsets => [0, 1, 1]
:param influence_other => [0.1, 0.0]
:param influence_teleport => [0.2, 0.25]
:param role => ["customer", "customer"]
:param role_reason => ["", ""]
:param screening_flags => []
:param screening_flag_offsets => [0, 0, 0]
:param screening_evidence => []
:param screening_evidence_offsets => [0, 0, 0]
:param screening_weight => [1.0, 1.0]
// The profiles are not touched here, not even looked up: on FalkorDB any property written to a node of an
// indexed label re-indexes the whole node (bench/store_writes.py), and the ids come from the profiles the
// run read; one erased since is matched by nothing in publish_run and deleted with the run's other nodes.
// One node per batch (graph.results.STAGE_BATCH_ROWS profiles), not per profile: the run creates and
// deletes a few dozen nodes, not one per profile. Lists per profile come flattened: profile i's top
// sources are influence_top_sources[influence_top_offsets[i]..influence_top_offsets[i + 1]]. A score the
// run did not compute (a Spark run's brokerage) comes as null: no property, published as null.
CREATE (s:StagedScores {
    run_id: $run_id,
    profile_ids: $profile_ids,
    influence: $influence,
    influence_rank: $influence_rank,
    community: $community,
    reach: $reach,
    brokerage: $brokerage,
    influence_top_sources: $influence_top_sources,
    influence_top_shares: $influence_top_shares,
    influence_top_offsets: $influence_top_offsets,
    influence_other: $influence_other,
    influence_teleport: $influence_teleport,
    role: $role,
    role_reason: $role_reason,
    screening_flags: $screening_flags,
    screening_flag_offsets: $screening_flag_offsets,
    screening_evidence: $screening_evidence,
    screening_evidence_offsets: $screening_evidence_offsets,
    screening_weight: $screening_weight
})
RETURN size(s.profile_ids) AS staged
