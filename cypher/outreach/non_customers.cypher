// Profiles whose role (of the current analysis, or declared at ingest) is in $roles: never outreach seeds
:param roles => ["brand_owned", "staff", "placeholder"]
MATCH (p:Profile)
WHERE p.role IN $roles
RETURN p.id AS id
