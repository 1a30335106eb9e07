// Trust paths of at most 4 hops from one profile to another over positive ratings only; trust = product of rating/10
// A path never passes through a profile the source itself rated negatively (the target may be one)
:param source => "mastodon:moe399"
:param target => "twitter:chloei374"
:param limit => 5
MATCH (s:Profile {id: $source})
WITH s, [(s)-[d:RATED]->(x:Profile) WHERE d.rating < 0 | x.id] AS distrusted
MATCH path = (s)-[:RATED*1..4]->(t:Profile {id: $target})
WHERE all(r IN relationships(path) WHERE r.rating > 0)
  AND all(n IN nodes(path) WHERE single(m IN nodes(path) WHERE m = n))
  AND none(n IN nodes(path) WHERE n.id IN distrusted AND n.id <> $target)
RETURN [n IN nodes(path) | n.id] AS nodes, [r IN relationships(path) | r.rating] AS ratings,
       reduce(trust = 1.0, r IN relationships(path) | trust * r.rating / 10.0) AS trust, length(path) AS hops
ORDER BY trust DESC, hops
LIMIT $limit
