// One Customer node's properties by id (no row when it does not exist)
:param id => "c1"
MATCH (n:Customer {id: $id})
RETURN properties(n) AS node
