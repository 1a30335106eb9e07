// Publish a run in one statement (atomic on FalkorDB and on Neo4j): make it the current run, write each scored Profile's scores, role and screening, and reset every other Profile (influence 0, rank -1, community -1, its declared role or customer); a score given as null is published as null
// Each row is a list of values in the order of graph.results.PROFILE_SCORE_COLUMNS (named below by WITH): no key repeated on 300k rows
:param run_id => "run-20260101T000000-abcdef"
:param finished_at => 1700000000000
:param rows => [["tw:ada", 0.5, 1, 0, 3, 0.25, ["tw:bob"], [0.2], 0.1, 0.2, "customer", "", [], [], 1.0]]
MATCH (r:AnalysisRun)
SET r.current = (r.id = $run_id),
    r.state = CASE WHEN r.id = $run_id THEN 'succeeded' ELSE r.state END,
    r.stage = CASE WHEN r.id = $run_id THEN 'published' ELSE r.stage END,
    r.finished_at = CASE WHEN r.id = $run_id THEN $finished_at ELSE r.finished_at END
WITH count(r) AS runs
UNWIND $rows AS row
WITH row[0] AS id,
     row[1] AS influence,
     row[2] AS influence_rank,
     row[3] AS community,
     row[4] AS reach,
     row[5] AS brokerage,
     row[6] AS influence_top_sources,
     row[7] AS influence_top_shares,
     row[8] AS influence_other,
     row[9] AS influence_teleport,
     row[10] AS role,
     row[11] AS role_reason,
     row[12] AS screening_flags,
     row[13] AS screening_evidence,
     row[14] AS screening_weight
MATCH (p:Profile {id: id})
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
WITH count(p) AS scored
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
RETURN count(p) AS reset
