// GDS Louvain on the projected ENGAGED_UNDIRECTED graph, weighted; stores each node's community as $property in the projection
:param graph_name => 'rapport-engagement'
:param property => 'community'
:param concurrency => 1
CALL gds.louvain.mutate($graph_name, {
  relationshipTypes: ['ENGAGED_UNDIRECTED'], relationshipWeightProperty: 'weight',
  mutateProperty: $property, concurrency: $concurrency
})
YIELD modularity, communityCount, ranLevels, computeMillis
RETURN modularity, communityCount AS communities, ranLevels AS levels, computeMillis AS compute_millis
