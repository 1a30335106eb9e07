// A brand's own accounts ((:Brand)-[:HAS_PROFILE]->(:Profile)), the starting points of its trust paths ("a warm introduction from our brand"); no row when the brand does not exist
:param brand => "acme"
MATCH (b:Brand {id: $brand})
OPTIONAL MATCH (b)-[:HAS_PROFILE]->(p:Profile)
RETURN b.id AS id, collect(p.id) AS accounts
