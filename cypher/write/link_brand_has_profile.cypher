// Upsert (:Brand)-[:HAS_PROFILE]->(:Profile) relationships by endpoint ids; missing endpoints become placeholders
:param rows => [{source: "acme", target: "tw:ada", props: {evidence: "brand_profile", source: "events"}}]
UNWIND $rows AS row
MERGE (a:Brand {id: row.source})
MERGE (b:Profile {id: row.target})
MERGE (a)-[r:HAS_PROFILE]->(b)
SET r += row.props
