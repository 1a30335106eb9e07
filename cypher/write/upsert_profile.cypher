// Upsert Profile nodes by id; a placeholder made earlier by a relationship is filled in
:param rows => [{id: "tw:ada", props: {id: "tw:ada", platform: "twitter", handle: "ada", followers: 120}}]
UNWIND $rows AS row
MERGE (n:Profile {id: row.id})
SET n += row.props
