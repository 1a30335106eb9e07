// Upsert Post nodes by id together with their author's POSTED link, one statement for both
// (a new post has no links yet, so its POSTED is created, not merged, and the post is looked up once;
// an existing post is updated and its link merged); a missing author becomes a placeholder Profile.
// Used for the posts that exactly one POSTED row of a batch points at (graph.store.authors_written_with_posts).
:param rows => [{source: "tw:ada", target: "post1", props: {id: "post1", text: "Love it!", created_at: 1700000000000}}]
UNWIND $rows AS row
OPTIONAL MATCH (found:Post {id: row.target})
WITH row, found
MERGE (a:Profile {id: row.source})
FOREACH (_ IN CASE WHEN found IS NULL THEN [1] ELSE [] END | CREATE (a)-[:POSTED]->(n:Post) SET n = row.props)
FOREACH (_ IN CASE WHEN found IS NULL THEN [] ELSE [1] END | SET found += row.props MERGE (a)-[:POSTED]->(found))
