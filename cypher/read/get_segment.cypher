// One Segment node's properties by id (no row when it does not exist)
:param id => "vip-advocates"
MATCH (n:Segment {id: $id})
RETURN properties(n) AS node
