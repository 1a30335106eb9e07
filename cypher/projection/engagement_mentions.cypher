// Mentions aggregated per (author, mentioned profile) for sources with internal id in [$lo, $hi): count and summed decay 0.5^(age/half-life)
:param lo => 0
:param hi => 250000
:param as_of => 1700000000000
:param half_life_ms => 2592000000.0
MATCH (a:Profile)-[:POSTED]->(q:Post)-[m:MENTIONS]->(b:Profile)
WHERE id(a) >= $lo AND id(a) < $hi AND a <> b
WITH id(a) AS source, id(b) AS target, coalesce(m.at, q.created_at) AS t
RETURN source, target, count(*) AS interactions,
       sum(CASE WHEN t >= $as_of THEN 1.0 ELSE 0.5 ^ ((toFloat($as_of) - t) / $half_life_ms) END) AS decayed
