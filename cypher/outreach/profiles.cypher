// Handle, platform, stored community and role (the run's, else the declared one) of the profiles with the given ids (unknown ids give no row)
:param ids => ["tw:ada", "tw:bob"]
UNWIND $ids AS pid
MATCH (p:Profile {id: pid})
RETURN p.id AS id, p.handle AS handle, p.platform AS platform, p.community AS community,
       coalesce(p.role, p.declared_role, 'customer') AS role
