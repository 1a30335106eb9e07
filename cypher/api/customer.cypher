// One customer with its profiles' properties (no row when the customer does not exist)
:param id => "c1"
MATCH (c:Customer {id: $id})
RETURN properties(c) AS customer, [(c)-[:HAS_PROFILE]->(p:Profile) | properties(p)] AS profiles
