// A customer's consent attribute (no row: no such customer)
:param customer_id => "cust-0001"
MATCH (c:Customer {id: $customer_id})
RETURN c.id AS id, c.attr_contact_allowed AS contact_allowed
