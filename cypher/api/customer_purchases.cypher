// A customer's purchases per brand: count, total amount and the latest purchase time
:param id => "c1"
MATCH (c:Customer {id: $id})-[r:PURCHASED]->(b:Brand)
RETURN b.id AS brand, b.name AS name, count(r) AS purchases, sum(r.amount) AS amount, max(r.at) AS last_at
ORDER BY last_at DESC, brand ASC
