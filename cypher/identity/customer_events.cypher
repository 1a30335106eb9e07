// One customer's identity log, oldest first
:param customer_id => "cust-0001"
MATCH (e:IdentityEvent)
WHERE e.customer_id = $customer_id
RETURN properties(e) AS event
ORDER BY e.at ASC, e.id ASC
