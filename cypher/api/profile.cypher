// One profile with the customers and brands that own it (no row when the profile does not exist)
:param id => "tw:ada"
MATCH (p:Profile {id: $id})
RETURN properties(p) AS profile,
       [(c:Customer)-[:HAS_PROFILE]->(p) | c.id] AS customer_ids,
       [(b:Brand)-[:HAS_PROFILE]->(p) | b.id] AS brand_ids
