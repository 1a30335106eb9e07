// Handle, platform and stored community of the profiles with the given ids (unknown ids give no row)
:param ids => ["tw:ada", "tw:bob"]
UNWIND $ids AS pid
MATCH (p:Profile {id: pid})
RETURN p.id AS id, p.handle AS handle, p.platform AS platform, p.community AS community,
       coalesce(p.role, 'customer') AS role
