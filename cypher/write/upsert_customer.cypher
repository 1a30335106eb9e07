// Upsert Customer nodes by id; a placeholder made earlier by a relationship is filled in
:param rows => [{id: "c1", props: {id: "c1", name: "Ada Lovelace", email: "ada@example.com"}}]
UNWIND $rows AS row
MERGE (n:Customer {id: row.id})
SET n += row.props
