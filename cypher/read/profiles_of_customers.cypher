// Profiles linked to the given customers, directly by explicit evidence (not through derived links)
:param customer_ids => ["cust-0001", "cust-0002"]
UNWIND $customer_ids AS customer_id
MATCH (c:Customer {id: customer_id})-[r:HAS_PROFILE]->(p:Profile)
WHERE r.evidence = 'customer_id'
RETURN customer_id, p.id AS profile_id
ORDER BY customer_id, profile_id
