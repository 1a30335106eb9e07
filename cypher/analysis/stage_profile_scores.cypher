// Stage one run's Profile scores, roles and screening on StagedScores nodes, one per known profile (no reader looks at them; publish_run copies them onto the profiles, then they are deleted)
:param run_id => "run-20260101T000000-abcdef"
:param rows => [["tw:ada", 0.5, 1, 0, 3, 0.25, ["tw:bob"], [0.2], 0.1, 0.2, null, null, null, null, null]]
// The profile is not touched here, not even looked up: on FalkorDB any property written to a node of an
// indexed label re-indexes the whole node (bench/store_writes.py), and the rows come from the profiles
// the run read; one erased since is matched by nothing in publish_run and deleted with the run's others
// Each row is a list in graph.results.STAGED_COLUMNS order (no key repeated per row); a role, reason,
// screening value or top-source list equal to its default comes as null and publish_run fills it in
UNWIND $rows AS row
CREATE (s:StagedScores {
    run_id: $run_id,
    profile_id: row[0],
    influence: row[1],
    influence_rank: row[2],
    community: row[3],
    reach: row[4],
    brokerage: row[5],
    influence_top_sources: row[6],
    influence_top_shares: row[7],
    influence_other: row[8],
    influence_teleport: row[9],
    role: row[10],
    role_reason: row[11],
    screening_flags: row[12],
    screening_evidence: row[13],
    screening_weight: row[14]
})
RETURN count(s) AS staged
