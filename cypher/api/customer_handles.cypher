// platform:handle of every profile of the given customers (CRM exports map them to contacts)
:param ids => ["c1"]
UNWIND $ids AS customer_id
MATCH (c:Customer {id: customer_id})-[:HAS_PROFILE]->(h:Profile)
RETURN c.id AS customer, h.platform + ':' + h.handle AS handle
