// The customers of profiles $ids (segment members), one row per customer link: a MATCH, not a pattern comprehension per profile (5x cheaper on FalkorDB)
:param ids => ["tw:ada"]
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})
WITH p
MATCH (p)<-[:HAS_PROFILE]-(c:Customer)
RETURN p.id AS profile, c.id AS id, c.email AS email, c.email_verified AS email_verified,
       c.attr_contact_allowed AS attr_contact_allowed
