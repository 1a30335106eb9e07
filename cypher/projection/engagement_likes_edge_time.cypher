// Likes as engagement_likes.cypher returns them, but with the like's own time only (null where the LIKED edge has no `at`)
// (see engagement_shares_edge_time.cypher: the reader falls back to engagement_likes.cypher for a page with a null)
:param lo => 0
:param hi => 250000
MATCH (a:Profile)-[l:LIKED]->(p)<-[:POSTED]-(b)
WHERE id(a) >= $lo AND id(a) < $hi
RETURN id(a) AS source, id(b) AS target, l.at AS t
