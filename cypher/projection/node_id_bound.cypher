// Upper bound of internal node ids and the node count, to split the projection into id-range pages
MATCH (n)
RETURN max(id(n)) AS max_id, count(n) AS nodes
