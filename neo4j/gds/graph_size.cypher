// Size of a GDS projection: nodes, relationships and the heap it holds (bytes)
:param graph_name => 'rapport-engagement'
CALL gds.graph.list($graph_name)
YIELD nodeCount, relationshipCount, sizeInBytes
RETURN nodeCount AS nodes, relationshipCount AS relationships, sizeInBytes AS bytes
