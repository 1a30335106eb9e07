// Profile handles and platforms by id (sources of an influence score); unknown ids give no row
:param ids => ["tw:ada"]
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})
RETURN p.id AS id, p.handle AS handle, p.platform AS platform
