// The profiles linked to one customer, with the evidence of each link, who made it and when
:param customer_id => "cust-0001"
MATCH (c:Customer {id: $customer_id})-[r:HAS_PROFILE]->(p:Profile)
RETURN p.id AS profile_id, p.platform AS platform, p.handle AS handle, r.evidence AS evidence,
       r.source AS source, r.via AS via, r.actor AS actor, r.linked_at AS linked_at
ORDER BY profile_id
