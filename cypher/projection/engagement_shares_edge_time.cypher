// Shares as engagement_shares.cypher returns them, but with the share's own time only (null where the SHARED edge has no `at`)
// FalkorDB evaluates both arguments of coalesce(), and reading the post's time costs ~20% of this query:
// the reader takes this form and re-reads a page with engagement_shares.cypher only if a time is null.
:param lo => 0
:param hi => 250000
MATCH (a:Profile)-[s:SHARED]->(p)<-[:POSTED]-(b)
WHERE id(a) >= $lo AND id(a) < $hi
RETURN id(a) AS source, id(b) AS target, s.at AS t
