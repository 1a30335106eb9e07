// Upsert Brand nodes by id; a placeholder made earlier by a relationship is filled in
:param rows => [{id: "acme", props: {id: "acme", name: "Acme"}}]
UNWIND $rows AS row
MERGE (n:Brand {id: row.id})
SET n += row.props
