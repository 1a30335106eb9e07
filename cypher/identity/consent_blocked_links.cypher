// Links (HAS_PROFILE) of customers whose consent now forbids joining, not approved against it by a reviewer
MATCH (c:Customer)-[r:HAS_PROFILE]->(p:Profile)
WHERE coalesce(toLower(toString(c.attr_contact_allowed)) IN ['false', 'no', 'n', 'off', '0', '0.0', '0.000000'], false)
  AND coalesce(r.consent_override, false) = false
RETURN c.id AS customer_id, p.id AS profile_id, properties(r) AS link
ORDER BY customer_id, profile_id
