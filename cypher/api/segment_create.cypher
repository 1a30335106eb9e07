// Save a segment definition (its name is the id; a taken name breaks the uniqueness constraint)
:param id => "vip-advocates"
:param filter_json => "{\"brand\": \"acme\", \"role\": \"advocate\"}"
:param description => ""
:param created_at => 1767225600000
CREATE (s:Segment {id: $id, filter_json: $filter_json, description: $description, created_at: $created_at})
RETURN s.id AS id
