// Upsert Post nodes by id; a placeholder made earlier by a relationship is filled in
// (create if missing, else update, rather than MERGE then SET: on FalkorDB the SET after a MERGE is
// the dear part of an upsert, properties set in the CREATE are cheap; row.props always holds the id)
:param rows => [{id: "post1", props: {id: "post1", text: "Love it!", created_at: 1700000000000, sentiment: 0.67}}]
UNWIND $rows AS row
OPTIONAL MATCH (found:Post {id: row.id})
FOREACH (_ IN CASE WHEN found IS NULL THEN [1] ELSE [] END | CREATE (n:Post) SET n = row.props)
FOREACH (_ IN CASE WHEN found IS NULL THEN [] ELSE [1] END | SET found += row.props)
