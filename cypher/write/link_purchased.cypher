// Upsert (:Customer)-[:PURCHASED]->(:Brand) relationships by endpoint ids and at; missing endpoints become placeholders
:param rows => [{source: "c1", target: "acme", props: {at: 1700000000000, amount: 19.99}}]
UNWIND $rows AS row
MERGE (a:Customer {id: row.source})
MERGE (b:Brand {id: row.target})
MERGE (a)-[r:PURCHASED {at: row.props.at}]->(b)
SET r += row.props
