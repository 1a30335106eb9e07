// GDS unweighted betweenness on the projected ENGAGED graph (directed): raw pair-dependency sums, from $sampling_size sources
// $sampling_size equal to the node count means every node is a source: exact (Brandes).
:param graph_name => 'rapport-engagement'
:param sampling_size => 34
:param seed => 0
CALL gds.betweenness.stream($graph_name, {
  relationshipTypes: ['ENGAGED'], samplingSize: $sampling_size, samplingSeed: $seed
})
YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
