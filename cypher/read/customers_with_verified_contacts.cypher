// Customers with a verified email or phone, the evidence identity linking may use, and their consent attribute
MATCH (c:Customer)
WHERE c.email_verified = true OR c.phone_verified = true
RETURN c.id AS id, c.email AS email, c.email_verified AS email_verified, c.phone AS phone,
       c.phone_verified AS phone_verified, coalesce(c.unlinked_profile_ids, []) AS unlinked_profile_ids,
       c.attr_contact_allowed AS contact_allowed
ORDER BY id
