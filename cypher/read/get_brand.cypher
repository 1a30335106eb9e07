// One Brand node's properties by id (no row when it does not exist)
:param id => "acme"
MATCH (n:Brand {id: $id})
RETURN properties(n) AS node
