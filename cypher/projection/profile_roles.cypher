// Profiles with a declared role or without a handle: declared role and reason, and whether they posted (role evidence)
MATCH (p:Profile)
WHERE p.declared_role IS NOT NULL OR p.handle IS NULL
RETURN p.id AS id, p.declared_role AS declared_role, p.declared_role_reason AS declared_role_reason,
       p.handle IS NULL AS no_handle, size([(p)-[:POSTED]->(:Post) | 1]) AS posts
