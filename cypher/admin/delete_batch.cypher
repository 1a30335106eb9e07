// Delete up to $limit nodes with their relationships (call until it returns 0)
:param limit => 10000
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
