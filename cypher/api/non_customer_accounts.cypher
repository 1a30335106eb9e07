// Accounts whose posts are not a customer's voice: an analysed role of brand_owned or staff, or owned by a brand ((:Brand)-[:HAS_PROFILE]->) before any analysis named its role
MATCH (p:Profile)
WHERE p.role IN ['brand_owned', 'staff']
RETURN p.id AS id
UNION
MATCH (:Brand)-[:HAS_PROFILE]->(p:Profile)
RETURN p.id AS id
