// FOLLOWS edges (follower, followed) for followers with internal id in [$lo, $hi), as internal ids
:param lo => 0
:param hi => 250000
MATCH (a:Profile)-[:FOLLOWS]->(b:Profile)
WHERE id(a) >= $lo AND id(a) < $hi AND a <> b
RETURN id(a) AS source, id(b) AS target
