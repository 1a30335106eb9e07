// Relationship types present in the store: the projection skips its reads of types the store has none of
CALL db.relationshipTypes() YIELD relationshipType
RETURN relationshipType AS type
