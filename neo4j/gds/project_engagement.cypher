// Project Rapport's engagement graph into GDS: one weighted a -> b per pair, directed (ENGAGED) and undirected (ENGAGED_UNDIRECTED)
// The weight is Rapport's (usecases/analysis.py, graph/projection.py): the sum over a's replies to, mentions of,
// shares and likes of b of kind_weight * 0.5 ^ (max(as_of - t, 0) / half_life), t the interaction's time
// (the edge's `at`, else the post's created_at; a reply's time is the reply post's created_at); no decay
// when $half_life_ms is null (else an interaction without a time weighs 0); self-interactions left out.
// Both types come from the same rows: PageRank and betweenness run on ENGAGED, Louvain on
// ENGAGED_UNDIRECTED (the symmetrised S = A + A^T Rapport uses).
:param graph_name => 'rapport-engagement'
:param as_of_ms => 1700000000000
:param half_life_ms => 2592000000.0
:param reply_weight => 3.0
:param mention_weight => 2.0
:param share_weight => 2.0
:param like_weight => 1.0
CALL () {
  MATCH (a:Profile)-[l:LIKED]->(p)<-[:POSTED]-(b:Profile)
  WHERE a <> b
  RETURN a, b, $like_weight AS kind_weight, coalesce(l.at, p.created_at) AS t
  UNION ALL
  MATCH (a:Profile)-[s:SHARED]->(p)<-[:POSTED]-(b:Profile)
  WHERE a <> b
  RETURN a, b, $share_weight AS kind_weight, coalesce(s.at, p.created_at) AS t
  UNION ALL
  MATCH (a:Profile)-[:POSTED]->(q:Post)-[:REPLY_TO]->()<-[:POSTED]-(b:Profile)
  WHERE a <> b
  RETURN a, b, $reply_weight AS kind_weight, q.created_at AS t
  UNION ALL
  MATCH (a:Profile)-[:POSTED]->(q:Post)-[m:MENTIONS]->(b:Profile)
  WHERE a <> b
  RETURN a, b, $mention_weight AS kind_weight, coalesce(m.at, q.created_at) AS t
}
WITH a, b, kind_weight, t, CASE WHEN $as_of_ms - t > 0 THEN toFloat($as_of_ms - t) ELSE 0.0 END AS age
WITH a, b, sum(CASE
  WHEN $half_life_ms IS NULL THEN kind_weight
  WHEN t IS NULL THEN 0.0
  ELSE kind_weight * 0.5 ^ (age / $half_life_ms)
END) AS weight
UNWIND ['ENGAGED', 'ENGAGED_UNDIRECTED'] AS type
WITH gds.graph.project(
  $graph_name, a, b,
  {relationshipType: type, relationshipProperties: {weight: weight}},
  {undirectedRelationshipTypes: ['ENGAGED_UNDIRECTED']}
) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships, g.projectMillis AS project_millis
