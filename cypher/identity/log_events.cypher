// Append entries to the identity log (one IdentityEvent node each; primitives only)
:param rows => [{id: "1700000000000-00ab12cd", props: {customer_id: "cust-0001", profile_id: "twitter:ada", action: "unlinked", evidence: "customer_id", source: "events", actor: "cli:ana", reason: "wrong person", at: 1700000000000}}]
UNWIND $rows AS row
MERGE (e:IdentityEvent {id: row.id})
SET e += row.props
RETURN count(e) AS logged
