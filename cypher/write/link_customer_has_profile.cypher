// Upsert customer-profile links by endpoint ids; a customer whose consent forbids joining (contact_allowed false) gets a HELD_PROFILE link for review instead
:param rows => [{source: "c1", target: "tw:ada", props: {evidence: "customer_id", source: "events"}}]
UNWIND $rows AS row
MERGE (a:Customer {id: row.source})
MERGE (b:Profile {id: row.target})
WITH a, b, row,
     coalesce(toLower(toString(a.attr_contact_allowed)) IN ['false', 'no', 'n', 'off', '0', '0.0', '0.000000'], false)
       AS forbidden
FOREACH (_ IN CASE WHEN forbidden THEN [] ELSE [1] END |
  MERGE (a)-[r:HAS_PROFILE]->(b)
  ON CREATE SET r.linked_at = timestamp(), r.actor = 'ingest'
  SET r += row.props)
FOREACH (_ IN CASE WHEN forbidden THEN [1] ELSE [] END |
  MERGE (a)-[h:HELD_PROFILE]->(b)
  ON CREATE SET h.held_at = timestamp(), h.actor = 'ingest'
  SET h += row.props)
