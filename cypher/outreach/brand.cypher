// One brand, every brand's official accounts (never outreach contacts) and its detractors in analysis run $run_id (no row when the brand does not exist)
:param brand => "acme"
:param run_id => "run-20260101T000000-abcdef"
MATCH (b:Brand {id: $brand})
OPTIONAL MATCH (:Brand)-[:HAS_PROFILE]->(account:Profile)
WITH b, collect(DISTINCT account.id) AS brand_accounts
RETURN b.id AS id, b.name AS name, brand_accounts,
       [(d:Profile)-[r:DETRACTS]->(b) WHERE r.run_id = $run_id | d.id] AS detractors
