// Saved segments ordered by name, one page
:param skip => 0
:param limit => 51
MATCH (s:Segment)
RETURN properties(s) AS segment
ORDER BY s.id ASC
SKIP $skip
LIMIT $limit
