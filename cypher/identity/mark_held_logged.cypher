// Mark held links as written to the identity log
:param rows => [{customer_id: "cust-0001", profile_id: "twitter:ada"}]
UNWIND $rows AS row
MATCH (c:Customer {id: row.customer_id})-[h:HELD_PROFILE]->(p:Profile {id: row.profile_id})
SET h.logged = true
RETURN count(h) AS marked
