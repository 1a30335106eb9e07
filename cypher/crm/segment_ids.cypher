// Every saved segment name, in order
MATCH (s:Segment)
RETURN s.id AS id
ORDER BY id ASC
