// One Profile node's properties by id (no row when it does not exist)
:param id => "tw:ada"
MATCH (n:Profile {id: $id})
RETURN properties(n) AS node
