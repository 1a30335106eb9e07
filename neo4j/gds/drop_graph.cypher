// Drop a GDS projection (no error when it does not exist)
:param graph_name => 'rapport-engagement'
CALL gds.graph.drop($graph_name, false)
YIELD graphName
RETURN graphName AS graph
