// Upsert Post nodes by id; a placeholder made earlier by a relationship is filled in
:param rows => [{id: "post1", props: {id: "post1", text: "Love it!", created_at: 1700000000000, sentiment: 0.67}}]
UNWIND $rows AS row
MERGE (n:Post {id: row.id})
SET n += row.props
