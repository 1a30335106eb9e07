// Move one link from HAS_PROFILE to HELD_PROFILE (consent forbids it), keeping every property of the link
:param customer_id => "cust-0001"
:param profile_id => "twitter:ada"
:param now => 1700000000000
MATCH (c:Customer {id: $customer_id})-[r:HAS_PROFILE]->(p:Profile {id: $profile_id})
WITH c, p, r, properties(r) AS link
MERGE (c)-[h:HELD_PROFILE]->(p)
SET h += link, h.held_at = $now, h.logged = true
DELETE r
RETURN link
