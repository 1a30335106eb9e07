// Delete up to $limit nodes with their relationships (call until it returns 0); the change mark
// (DataVersion, renewed after every write) stays
:param limit => 10000
MATCH (n)
WHERE NOT n:DataVersion
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
