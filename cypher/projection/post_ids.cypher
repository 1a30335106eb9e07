// The string id of each post whose internal id is in $nodes (the few posts an evidence line names)
:param nodes => [0, 1]
UNWIND $nodes AS node
MATCH (q:Post)
WHERE id(q) = node
RETURN node, q.id AS id
