// One brand, its own profiles and its detractors in analysis run $run_id (no row when the brand does not exist)
:param brand => "acme"
:param run_id => "run-20260101T000000-abcdef"
MATCH (b:Brand {id: $brand})
RETURN b.id AS id, b.name AS name,
       [(b)-[:HAS_PROFILE]->(p:Profile) | p.id] AS own_profiles,
       [(d:Profile)-[r:DETRACTS]->(b) WHERE r.run_id = $run_id | d.id] AS detractors
