// GDS weighted PageRank on the projected ENGAGED graph, personalized to the profiles $seed_ids when not empty (top $limit)
// GDS does not redistribute a dangling node's mass and does not normalise: divide by the sum to compare with Rapport.
:param graph_name => 'rapport-engagement'
:param seed_ids => []
:param damping => 0.85
:param tolerance => 0.0000000001
:param max_iterations => 1000
:param limit => 1000000000
OPTIONAL MATCH (seed:Profile)
WHERE seed.id IN $seed_ids
WITH collect(seed) AS seeds
CALL gds.pageRank.stream($graph_name, {
  relationshipTypes: ['ENGAGED'], relationshipWeightProperty: 'weight', dampingFactor: $damping,
  tolerance: $tolerance, maxIterations: $max_iterations, sourceNodes: seeds
})
YIELD nodeId, score
WITH nodeId, score
ORDER BY score DESC, nodeId
LIMIT $limit
RETURN gds.util.asNode(nodeId).id AS id, score
