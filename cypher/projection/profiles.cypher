// Profiles whose internal id lies in [$lo, $hi): internal id, string id, and the current community id
:param lo => 0
:param hi => 250000
MATCH (p:Profile)
WHERE id(p) >= $lo AND id(p) < $hi
RETURN id(p) AS node, p.id AS id, p.community AS community
