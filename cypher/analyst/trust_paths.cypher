// Trust paths of at most 4 hops from one profile to another over positive ratings only; trust = product of rating/10
:param source => "mastodon:moe399"
:param target => "twitter:chloei374"
:param limit => 5
MATCH path = (s:Profile {id: $source})-[:RATED*1..4]->(t:Profile {id: $target})
WHERE all(r IN relationships(path) WHERE r.rating > 0)
  AND all(n IN nodes(path) WHERE single(m IN nodes(path) WHERE m = n))
RETURN [n IN nodes(path) | n.id] AS nodes, [r IN relationships(path) | r.rating] AS ratings,
       reduce(trust = 1.0, r IN relationships(path) | trust * r.rating / 10.0) AS trust, length(path) AS hops
ORDER BY trust DESC, hops
LIMIT $limit
