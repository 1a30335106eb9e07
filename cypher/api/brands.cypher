// Every brand: id and name, by id
MATCH (b:Brand)
RETURN b.id AS id, b.name AS name
ORDER BY id ASC
