// Upsert Conversation nodes by id; a placeholder made earlier by a relationship is filled in
:param rows => [{id: "post1", props: {id: "post1", root_post_id: "post1", started_at: 1700000000000}}]
UNWIND $rows AS row
MERGE (n:Conversation {id: row.id})
SET n += row.props
