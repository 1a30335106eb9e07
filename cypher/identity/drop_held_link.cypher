// Delete one held link (refused, or approved and made a HAS_PROFILE link); returns its properties
:param customer_id => "cust-0001"
:param profile_id => "twitter:ada"
MATCH (c:Customer {id: $customer_id})-[h:HELD_PROFILE]->(p:Profile {id: $profile_id})
WITH h, properties(h) AS link
DELETE h
RETURN link
