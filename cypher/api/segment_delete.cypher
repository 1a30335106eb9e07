// Delete a saved segment definition by name; returns how many were deleted (0 or 1)
:param id => "vip-advocates"
MATCH (s:Segment {id: $id})
WITH s, s.id AS id
DETACH DELETE s
RETURN count(id) AS deleted
