// Labels of the given communities (a community without one gives no row)
:param communities => [0, 3]
UNWIND $communities AS community
MATCH (c:Community {id: toString(community)})
RETURN c.community AS community, c.label AS label
