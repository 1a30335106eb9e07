// Held links (HELD_PROFILE) not yet written to the identity log
MATCH (c:Customer)-[h:HELD_PROFILE]->(p:Profile)
WHERE h.logged IS NULL
RETURN c.id AS customer_id, p.id AS profile_id, properties(h) AS link
ORDER BY customer_id, profile_id
