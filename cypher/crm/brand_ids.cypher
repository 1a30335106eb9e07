// Every brand id, in order
MATCH (b:Brand)
RETURN b.id AS id
ORDER BY id ASC
