// One Conversation node's properties by id (no row when it does not exist)
:param id => "post1"
MATCH (n:Conversation {id: $id})
RETURN properties(n) AS node
