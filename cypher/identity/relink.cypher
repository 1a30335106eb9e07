// Make (or restore) one customer-profile link with the given properties and drop its refusal record
:param customer_id => "cust-0001"
:param profile_id => "twitter:ada"
:param props => {evidence: "customer_id", source: "events", actor: "cli:ana", linked_at: 1700000000000}
MATCH (c:Customer {id: $customer_id}), (p:Profile {id: $profile_id})
MERGE (c)-[r:HAS_PROFILE]->(p)
SET r += $props,
    c.unlinked_profile_ids = [x IN coalesce(c.unlinked_profile_ids, []) WHERE x <> $profile_id]
RETURN p.id AS profile_id
