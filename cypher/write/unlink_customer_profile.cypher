// Undo one identity link: remove (:Customer)-[:HAS_PROFILE]->(:Profile), remember the refusal, return what the link recorded
:param customer_id => "cust-0001"
:param profile_id => "twitter:ada"
MATCH (c:Customer {id: $customer_id})-[r:HAS_PROFILE]->(p:Profile {id: $profile_id})
WITH c, r, r.evidence AS evidence, properties(r) AS link
DELETE r
SET c.unlinked_profile_ids = [x IN coalesce(c.unlinked_profile_ids, []) WHERE x <> $profile_id] + [$profile_id]
RETURN evidence, link
