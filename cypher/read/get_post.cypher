// One Post node's properties by id (no row when it does not exist)
:param id => "post1"
MATCH (n:Post {id: $id})
RETURN properties(n) AS node
