// Upsert Profile nodes by id; a placeholder made earlier by a relationship is filled in
// (create if missing, else update, rather than MERGE then SET: on FalkorDB the SET after a MERGE is
// the dear part of an upsert, properties set in the CREATE are cheap; row.props always holds the id)
:param rows => [{id: "tw:ada", props: {id: "tw:ada", platform: "twitter", handle: "ada", followers: 120}}]
UNWIND $rows AS row
OPTIONAL MATCH (found:Profile {id: row.id})
FOREACH (_ IN CASE WHEN found IS NULL THEN [1] ELSE [] END | CREATE (n:Profile) SET n = row.props)
FOREACH (_ IN CASE WHEN found IS NULL THEN [] ELSE [1] END | SET found += row.props)
