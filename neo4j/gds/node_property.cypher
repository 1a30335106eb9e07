// A node property of a GDS projection (e.g. the community Louvain stored), by profile id
:param graph_name => 'rapport-engagement'
:param property => 'community'
CALL gds.graph.nodeProperty.stream($graph_name, $property)
YIELD nodeId, propertyValue
RETURN gds.util.asNode(nodeId).id AS id, propertyValue AS value
