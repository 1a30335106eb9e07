// Upper bound of internal node ids, to split the projection into id-range pages
MATCH (n)
RETURN max(id(n)) AS max_id
