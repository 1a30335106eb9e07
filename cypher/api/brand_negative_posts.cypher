// Negative posts (sentiment toward the brand <= $threshold: the ABOUT edge's, else the post's) about brand $brand in [$since, $until) by authors with roles in $roles (brand accounts only if $brand_accounts, even before an analysis names their role): id, time, text, sentiment, author (id and handle)
:param brand => "acme"
:param threshold => -0.05
:param since => 0
:param until => 4102444800000
:param roles => ["customer"]
:param brand_accounts => false
MATCH (b:Brand {id: $brand})
WITH b
MATCH (b)<-[ab:ABOUT]-(q:Post)<-[:POSTED]-(a:Profile)
WHERE q.sentiment IS NOT NULL AND q.created_at >= $since AND q.created_at < $until
  AND coalesce(ab.sentiment, q.sentiment) <= $threshold
  AND coalesce(a.role, 'customer') IN $roles
  AND ($brand_accounts OR NOT (a)<-[:HAS_PROFILE]-(:Brand))
RETURN q.id AS id, q.created_at AS created_at, q.text AS text, coalesce(ab.sentiment, q.sentiment) AS sentiment,
       a.id AS author, a.handle AS author_handle
ORDER BY created_at ASC, id ASC
