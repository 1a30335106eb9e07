// One customer's held links (waiting for review because consent forbids joining)
:param customer_id => "cust-0001"
MATCH (c:Customer {id: $customer_id})-[h:HELD_PROFILE]->(p:Profile)
RETURN p.id AS profile_id, properties(h) AS link
ORDER BY profile_id
