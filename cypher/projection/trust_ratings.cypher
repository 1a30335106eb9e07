// RATED edges (rater, ratee, rating in -10..10) for raters with internal id in [$lo, $hi), as internal ids
:param lo => 0
:param hi => 250000
MATCH (a:Profile)-[r:RATED]->(b:Profile)
WHERE id(a) >= $lo AND id(a) < $hi AND a <> b AND r.rating IS NOT NULL
RETURN id(a) AS source, id(b) AS target, r.rating AS rating
