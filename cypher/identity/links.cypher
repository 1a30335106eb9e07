// One customer's current links, with every recorded property (evidence, source, actor, linked_at, via)
:param customer_id => "cust-0001"
MATCH (c:Customer {id: $customer_id})-[r:HAS_PROFILE]->(p:Profile)
RETURN p.id AS profile_id, properties(r) AS link
ORDER BY profile_id
